// The CPU's peak single-precision FMA rate with 256-bit (AVX2) and 512-bit (AVX-512) vectors, and what
// it makes of the MLP step: the step's GEMMs (runtime_bench.cpp's 784-256-10 model, batch 64: two
// forward, three backward) at that peak take at least `flops / peak`, however good the GEMM. With
// OPENBLAS_CORETYPE=Haswell every OpenBLAS call runs AVX2 kernels, so the AVX2 figure bounds tl's
// step from below whatever tl does around its GEMMs; bench/summarize.py sets it against the Eigen
// program (docs/performance.md).
//
// Twelve independent FMA chains per thread cover the FMA latency on every x86 core of the last decade.
// Threads: OMP_NUM_THREADS, each thread running the same loop. Output: RESULT lines in the anchors'
// format.
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

constexpr long kIters = 200'000'000;  // ~0.2 s per sample with AVX2 at 1 thread
constexpr int kChains = 12;

// One function per vector width (intrinsics need the width's target on the function that uses them);
// each returns a value derived from every chain so the compiler keeps them all.
#define TL_FMA_CHAINS(V, FMA, SET1, FIRST)                                                 \
  V acc[kChains];                                                                          \
  for (int i = 0; i < kChains; ++i) acc[i] = SET1(1.0f + 0.01f * static_cast<float>(i));   \
  const V m = SET1(0.9999f), c = SET1(0.0001f);                                            \
  for (long it = 0; it < kIters; ++it) {                                                   \
    _Pragma("GCC unroll 12") for (int i = 0; i < kChains; ++i) acc[i] = FMA(acc[i], m, c); \
  }                                                                                        \
  float total = 0;                                                                         \
  for (int i = 0; i < kChains; ++i) total += FIRST(acc[i]);                                \
  return total;

__attribute__((target("avx2,fma"))) float chains_avx2() {
  TL_FMA_CHAINS(__m256, _mm256_fmadd_ps, _mm256_set1_ps, _mm256_cvtss_f32)
}
__attribute__((target("avx512f"))) float chains_avx512() {
  TL_FMA_CHAINS(__m512, _mm512_fmadd_ps, _mm512_set1_ps, _mm512_cvtss_f32)
}
#undef TL_FMA_CHAINS

// GFLOP/s of all threads together: each thread runs `chains` once.
double gflops(float (*chains)(), int lanes) {
  volatile float sink = 0;
  auto t0 = std::chrono::steady_clock::now();
  int threads = 1;
#pragma omp parallel
  {
#pragma omp single
    threads = omp_get_num_threads();
    float r = chains();
#pragma omp critical
    sink = sink + r;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return 2.0 * lanes * kChains * static_cast<double>(kIters) * threads / seconds / 1e9;
}

// `best` is the highest sample of a rate, the lowest of a time.
void report(const char* bench, const std::string& name, const char* unit, std::vector<double> samples, int threads,
            bool higher_is_better) {
  std::sort(samples.begin(), samples.end());
  double best = higher_is_better ? samples.back() : samples.front();
  std::printf("RESULT\t%s\t%s\tthreads=%d\t%s\tbest=%.4g\tmedian=%.4g\tsamples=%zu\n", bench, name.c_str(), threads,
              unit, best, samples[samples.size() / 2], samples.size());
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  if (rounds < 1) {
    std::fprintf(stderr, "fma_peak_bench: rounds must be a positive number, got '%s'\n", argv[1]);
    return 2;
  }
  int threads = omp_get_max_threads();
  // The step's multiply-adds: x W1 and its weight gradient (64 x 784 x 256 each), h W2, its weight
  // gradient and the gradient into h (64 x 256 x 10 each).
  const double step_flops = 2.0 * (2.0 * 64 * 784 * 256 + 3.0 * 64 * 256 * 10);
  struct isa {
    const char* name;
    bool supported;
    float (*chains)();
    int lanes;
  };
  for (const isa& s : {isa{"avx2", __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"), chains_avx2, 8},
                       isa{"avx512", __builtin_cpu_supports("avx512f") != 0, chains_avx512, 16}}) {
    if (!s.supported) continue;
    std::vector<double> rate, bound;
    gflops(s.chains, s.lanes);  // warm-up: the core's clock ramps up, the threads start
    for (int r = 0; r < rounds; ++r) {
      rate.push_back(gflops(s.chains, s.lanes));
      bound.push_back(step_flops / (rate.back() * 1e9) * 1e3);
    }
    report("fma_peak", s.name, "GFLOP/s", rate, threads, true);
    report("mlp784_256_10_b64_train_step", std::string("gemm_flops_at_") + s.name + "_peak", "ms", bound, threads,
           false);
  }
}
