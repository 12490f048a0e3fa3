// The MLP step's five GEMMs one by one, OpenBLAS (what tl calls) against Eigen's own GEMM (what the
// hand-written program runs), same shapes, same buffers: where the step's time goes, and why the
// Eigen program is faster when OpenBLAS runs its AVX2 (Haswell) kernels. Built with mlp_eigen_bench
// (-O3 -march=native, when Eigen is installed); run by hand:
//   OMP_NUM_THREADS=1 build/bench/mlp_gemms_bench            # OPENBLAS_CORETYPE as the environment says
//   OMP_NUM_THREADS=1 env -u OPENBLAS_CORETYPE build/bench/mlp_gemms_bench
// Prints microseconds per call, median of 15 samples of 200 calls.
#include <cblas.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

using mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

double us_per_call(const std::function<void()>& f) {
  std::vector<double> s;
  for (int r = 0; r < 15; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 200; ++i) f();
    s.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 200 * 1e6);
  }
  std::sort(s.begin(), s.end());
  return s[s.size() / 2];
}

}  // namespace

int main() {
  mat x = mat::Random(64, 784), w1 = mat::Random(784, 256), h(64, 256), g1 = mat::Random(64, 256);
  mat w2 = mat::Random(256, 10), o(64, 10), g2 = mat::Random(64, 10), dh(64, 256);
  auto nn = CblasNoTrans, t = CblasTrans;
  auto rm = CblasRowMajor;
  struct gemm_case {
    const char* name;
    std::function<void()> eigen, blas;
  };
  std::vector<gemm_case> cases = {
      {"forward 1: [64,784] x [784,256]", [&] { h.noalias() = x * w1; },
       [&] { cblas_sgemm(rm, nn, nn, 64, 256, 784, 1.f, x.data(), 784, w1.data(), 256, 0.f, h.data(), 256); }},
      {"W1 update: W1 -= 0.1 [784,64] x [64,256]", [&] { w1.noalias() -= 0.1f * (x.transpose() * g1); },
       [&] { cblas_sgemm(rm, t, nn, 784, 256, 64, -0.1f, x.data(), 784, g1.data(), 256, 1.f, w1.data(), 256); }},
      {"forward 2: [64,256] x [256,10]", [&] { o.noalias() = h * w2; },
       [&] { cblas_sgemm(rm, nn, nn, 64, 10, 256, 1.f, h.data(), 256, w2.data(), 10, 0.f, o.data(), 10); }},
      {"hidden gradient: [64,10] x [10,256]", [&] { dh.noalias() = g2 * w2.transpose(); },
       [&] { cblas_sgemm(rm, nn, t, 64, 256, 10, 1.f, g2.data(), 10, w2.data(), 10, 0.f, dh.data(), 256); }},
      {"W2 update: W2 -= 0.1 [256,64] x [64,10]", [&] { w2.noalias() -= 0.1f * (h.transpose() * g2); },
       [&] { cblas_sgemm(rm, t, nn, 256, 10, 64, -0.1f, h.data(), 256, g2.data(), 10, 1.f, w2.data(), 10); }},
  };
  std::printf("%-44s %10s %10s %8s\n", "GEMM of the MLP step", "Eigen us", "OpenBLAS", "ratio");
  double te = 0, tb = 0;
  for (auto& c : cases) {
    double e = us_per_call(c.eigen), b = us_per_call(c.blas);
    te += e;
    tb += b;
    std::printf("%-44s %10.1f %10.1f %7.2fx\n", c.name, e, b, b / e);
  }
  std::printf("%-44s %10.1f %10.1f %7.2fx\n", "all five", te, tb, tb / te);
}
