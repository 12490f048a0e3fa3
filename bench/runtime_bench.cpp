// Runtime benchmarks, printed as ratios against a baseline measured in the same run. Cases are
// interleaved round by round (not run one after the other), so a burst of load on this shared
// machine hits every case alike; each figure is the median over rounds.
//
// Output: the anchors' RESULT lines (../shared/anchors/README.md); bench/summarize.py turns the
// lines of this program, libtorch_bench and analyzer_bench.sh into one table of ratios and goals.
#include <cblas.h>
#include <omp.h>
#include <tl/tl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct mlp {
  tl::variable w1, b1, w2, b2;
  tl::optimizers::sgd opt{0.1};
  mlp(std::int64_t in, std::int64_t hidden, std::int64_t out)
      : w1(tl::random_normal({in, hidden}, 1, 0.f, 0.05f)),
        b1(tl::zeros({hidden})),
        w2(tl::random_normal({hidden, out}, 2, 0.f, 0.05f)),
        b2(tl::zeros({out})) {}
  tl::tensor step_softmax(const tl::tensor& x, const tl::tensor& y) {
    tl::gradient_tape tape;
    auto logits = tl::matmul(tl::relu(tl::matmul(x, w1) + b1), w2) + b2;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(logits, y));
    std::vector<tl::variable> p{w1, b1, w2, b2};
    opt.apply_gradients(tape.gradient(loss, p), p);
    return loss;
  }
  tl::tensor step_mse(const tl::tensor& x, const tl::tensor& y) {
    tl::gradient_tape tape;
    auto pred = tl::matmul(tl::relu(tl::matmul(x, w1) + b1), w2) + b2;
    auto loss = tl::mean(tl::square(pred - y));
    std::vector<tl::variable> p{w1, b1, w2, b2};
    opt.apply_gradients(tape.gradient(loss, p), p);
    return loss;
  }
};

double time_per_iter(const std::function<void()>& body, int iters) {
  auto t0 = clock_type::now();
  for (int i = 0; i < iters; ++i) body();
  return std::chrono::duration<double>(clock_type::now() - t0).count() / iters;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct bench_case {
  std::string bench, name, unit;
  double scale;  // seconds -> unit
  int iters;
  std::function<void()> body;
  std::vector<double> samples;
};

// Runs `first_call` (a tl::function's tracing call) with the executor's fusions off.
void traced_without_fusion(const std::function<void()>& first_call) {
  setenv("TL_FUSION", "0", 1);
  first_call();
  unsetenv("TL_FUSION");
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 7;
  int threads = omp_get_max_threads();
  std::vector<bench_case> cases;

  // MLP 784-256-10, batch 64, SGD 0.1, softmax cross-entropy: traced under each check mode, and eager.
  auto x = tl::random_normal({64, 784}, 3);
  auto y =
      tl::cast(tl::arange(0, 64) - tl::cast(tl::arange(0, 64), tl::dtype::int64) + tl::arange(0, 64), tl::dtype::int64);
  std::vector<std::int64_t> labels(64);
  for (int i = 0; i < 64; ++i) labels[static_cast<std::size_t>(i)] = i % 10;
  y = tl::tensor::from_vector(labels, {64});
  static mlp big(784, 256, 10), big_eager(784, 256, 10), big_unfused(784, 256, 10);
  auto big_step = tl::function([](const tl::tensor& a, const tl::tensor& b) { return big.step_softmax(a, b); });
  // The same step traced with TL_FUSION=0 (the executor's fusions off; read when a trace is optimized).
  auto big_step_unfused =
      tl::function([](const tl::tensor& a, const tl::tensor& b) { return big_unfused.step_softmax(a, b); });
  traced_without_fusion([&] { big_step_unfused(x, y); });
  for (auto [name, mode] :
       {std::pair{"traced_off", tl::check_mode::off}, std::pair{"traced_warn", tl::check_mode::warn},
        std::pair{"traced_assert", tl::check_mode::assert_}, std::pair{"traced_verify", tl::check_mode::verify}}) {
    cases.push_back({"mlp784_256_10_b64_train_step", name, "ms", 1e3, 50, [=, &big_step] {
                       tl::scoped_check_mode m(mode);
                       big_step(x, y);
                     }});
  }
  cases.push_back({"mlp784_256_10_b64_train_step", "traced_unfused", "ms", 1e3, 50, [=, &big_step_unfused] {
                     tl::scoped_check_mode m(tl::check_mode::off);
                     big_step_unfused(x, y);
                   }});
  cases.push_back({"mlp784_256_10_b64_train_step", "eager", "ms", 1e3, 20, [=] { big_eager.step_softmax(x, y); }});

  // Tiny MLP 8-16-1, batch 8, MSE, SGD 0.01.
  static mlp tiny(8, 16, 1), tiny_eager(8, 16, 1), tiny_unfused(8, 16, 1);
  tiny.opt.learning_rate = tiny_eager.opt.learning_rate = tiny_unfused.opt.learning_rate = 0.01;
  auto tx = tl::random_normal({8, 8}, 5);
  auto ty = tl::random_normal({8, 1}, 6);
  auto tiny_step = tl::function([](const tl::tensor& a, const tl::tensor& b) { return tiny.step_mse(a, b); });
  cases.push_back({"tiny8_16_1_b8_train_step", "traced_off", "us", 1e6, 2000, [=, &tiny_step] {
                     tl::scoped_check_mode m(tl::check_mode::off);
                     tiny_step(tx, ty);
                   }});
  cases.push_back({"tiny8_16_1_b8_train_step", "traced_warn", "us", 1e6, 2000, [=, &tiny_step] { tiny_step(tx, ty); }});
  auto tiny_step_unfused =
      tl::function([](const tl::tensor& a, const tl::tensor& b) { return tiny_unfused.step_mse(a, b); });
  traced_without_fusion([&] { tiny_step_unfused(tx, ty); });
  cases.push_back({"tiny8_16_1_b8_train_step", "traced_unfused", "us", 1e6, 2000, [=, &tiny_step_unfused] {
                     tl::scoped_check_mode m(tl::check_mode::off);
                     tiny_step_unfused(tx, ty);
                   }});
  cases.push_back({"tiny8_16_1_b8_train_step", "eager", "us", 1e6, 500, [=] { tiny_eager.step_mse(tx, ty); }});

  // 100 tiny elementwise ops: replay against eager.
  auto small = tl::ones({4});
  auto chain = [](tl::tensor t) {
    for (int i = 0; i < 50; ++i) t = tl::relu(t * 1.0001);
    return t;
  };
  auto chain_fn = tl::function(chain);
  cases.push_back({"op_chain_100_4elem", "traced", "us", 1e6, 2000, [=, &chain_fn] { chain_fn(small); }});
  cases.push_back({"op_chain_100_4elem", "eager", "us", 1e6, 200, [=] { chain(small); }});

  // matmul against OpenBLAS cblas_sgemm on the same input buffers (same values, same addresses); the
  // baseline writes into one preallocated output, as a BLAS user does, where tl allocates its result.
  static std::vector<float> mc;
  for (std::int64_t n : {256, 512, 1024, 2048}) {
    auto a = tl::random_normal({n, n}, 21), b = tl::random_normal({n, n}, 22);
    int iters = n >= 1024 ? (n == 2048 ? 1 : 3) : 20;
    auto name = "n=" + std::to_string(n);
    cases.push_back({"matmul_f32", "tl_" + name, "ms", 1e3, iters, [a, b] { tl::matmul(a, b); }});
    cases.push_back({"matmul_f32", "sgemm_" + name, "ms", 1e3, iters, [a, b, n] {
                       mc.resize(static_cast<std::size_t>(n * n));
                       auto* pa = static_cast<const float*>(a.raw_data());
                       auto* pb = static_cast<const float*>(b.raw_data());
                       cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(n), static_cast<int>(n),
                                   static_cast<int>(n), 1.f, pa, static_cast<int>(n), pb, static_cast<int>(n), 0.f,
                                   mc.data(), static_cast<int>(n));
                     }});
  }

  // A fused elementwise chain over 16M floats against a plain OpenMP loop doing the same arithmetic.
  constexpr std::int64_t kBig = 16 << 20;
  auto ex = tl::random_uniform({kBig}, 31), ey = tl::random_uniform({kBig}, 32);
  auto chain16m = [](const tl::tensor& a, const tl::tensor& b) { return tl::relu(a * 2.0 + b) * b - a; };
  auto fused = tl::function(chain16m);
  auto interpreted = tl::function(chain16m);
  traced_without_fusion([&] { interpreted(ex, ey); });
  static std::vector<float> px(kBig), py(kBig), pz(kBig);
  std::copy_n(ex.to_vector<float>().begin(), kBig, px.begin());
  std::copy_n(ey.to_vector<float>().begin(), kBig, py.begin());
  cases.push_back({"fused_chain_16M", "tl_traced", "ms", 1e3, 3, [=, &fused] { fused(ex, ey); }});
  cases.push_back({"fused_chain_16M", "tl_interpreter", "ms", 1e3, 3, [=, &interpreted] { interpreted(ex, ey); }});
  // The same loop on tl's input buffers, into an output tl allocated: separates the buffers' placement
  // in memory from the code.
  static tl::tensor ez = tl::zeros({kBig});
  cases.push_back({"fused_chain_16M", "omp_tlbuf", "ms", 1e3, 3, [=] {
                     float* z = const_cast<float*>(static_cast<const float*>(ez.raw_data()));
                     const float* x = static_cast<const float*>(ex.raw_data());
                     const float* y = static_cast<const float*>(ey.raw_data());
#pragma omp parallel for simd schedule(static)
                     for (std::int64_t i = 0; i < kBig; ++i) {
                       float r = x[i] * 2.f + y[i];
                       z[i] = (r > 0.f ? r : 0.f) * y[i] - x[i];
                     }
                   }});
  cases.push_back({"fused_chain_16M", "omp_loop", "ms", 1e3, 3, [] {
                     float* z = pz.data();
                     const float* x = px.data();
                     const float* y = py.data();
#pragma omp parallel for simd schedule(static)
                     for (std::int64_t i = 0; i < kBig; ++i) {
                       float r = x[i] * 2.f + y[i];
                       z[i] = (r > 0.f ? r : 0.f) * y[i] - x[i];
                     }
                   }});

  // BENCH_ONLY=word,word: only the cases whose "bench/case" name contains one of the words (for side-by-side
  // measurements of a few cases; scripts/bench.sh runs them all).
  if (const char* only = std::getenv("BENCH_ONLY"); only && *only) {
    std::vector<std::string> words;
    for (std::string w, list = only; !list.empty();) {
      auto comma = list.find(',');
      w = list.substr(0, comma);
      list = comma == std::string::npos ? "" : list.substr(comma + 1);
      if (!w.empty()) words.push_back(w);
    }
    std::erase_if(cases, [&](const bench_case& c) {
      return std::none_of(words.begin(), words.end(),
                          [&](const std::string& w) { return (c.bench + "/" + c.name).find(w) != std::string::npos; });
    });
  }
  for (auto& c : cases) c.body();  // trace and warm up outside the measurement
  for (int r = 0; r < rounds; ++r)
    for (auto& c : cases) c.samples.push_back(time_per_iter(c.body, c.iters) * c.scale);

  for (auto& c : cases) {
    double m = median(c.samples);
    auto best = *std::min_element(c.samples.begin(), c.samples.end());
    std::printf("RESULT\t%s\t%s\tthreads=%d\t%s\tbest=%.4g\tmedian=%.4g\tsamples=%d\n", c.bench.c_str(), c.name.c_str(),
                threads, c.unit.c_str(), best, m, rounds);
  }
}
