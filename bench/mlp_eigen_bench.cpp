// The hand-written expert program of the MLP training step: the anchors' Eigen program
// (../shared/anchors/mlp_eigen.cpp), on the same model as runtime_bench.cpp (784-256-10, batch 64,
// softmax cross-entropy, SGD 0.1), with Eigen's own GEMM, built -O3 -march=native as the anchors build
// it. scripts/bench.sh runs it alternately with runtime_bench; bench/summarize.py puts tl's step against
// it. Threads: OMP_NUM_THREADS (Eigen parallelizes its GEMM with OpenMP).
//
// Output: RESULT lines (case "eigen") in the anchors' format.
#include <omp.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <vector>

namespace {

using mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using row = Eigen::Matrix<float, 1, Eigen::Dynamic>;

struct mlp {
  std::vector<mat> w, dw, act, grad;  // act[0] = input; act[l + 1] = output of layer l
  std::vector<row> b, db;
  bool xent;
  float lr;
  mlp(const std::vector<int>& dims, bool xent_, float lr_, int batch, std::mt19937& gen) : xent(xent_), lr(lr_) {
    auto layers = dims.size() - 1;
    for (std::size_t l = 0; l < layers; ++l) {
      std::normal_distribution<float> init(0.f, 0.05f);
      mat m(dims[l], dims[l + 1]);
      for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = init(gen);
      w.push_back(m);
      b.push_back(row::Zero(dims[l + 1]));
      dw.push_back(mat::Zero(dims[l], dims[l + 1]));
      db.push_back(row::Zero(dims[l + 1]));
    }
    for (std::size_t l = 0; l <= layers; ++l) {
      act.push_back(mat::Zero(batch, dims[l]));
      grad.push_back(mat::Zero(batch, dims[l]));
    }
  }
  float step(const mat& x, const std::vector<int>& labels, const mat& target) {
    auto layers = w.size();
    act[0] = x;
    for (std::size_t l = 0; l < layers; ++l) {
      act[l + 1].noalias() = act[l] * w[l];
      act[l + 1].rowwise() += b[l];
      if (l + 1 < layers) act[l + 1] = act[l + 1].cwiseMax(0.f);
    }
    const mat& out = act[layers];
    mat& g = grad[layers];
    auto rows = static_cast<int>(out.rows());
    float loss = 0;
    if (xent) {
      for (int r = 0; r < rows; ++r) {
        float m = out.row(r).maxCoeff();
        g.row(r) = (out.row(r).array() - m).exp().matrix();
        float s = g.row(r).sum();
        loss += m + std::log(s) - out(r, labels[static_cast<std::size_t>(r)]);
        g.row(r) /= s;
        g(r, labels[static_cast<std::size_t>(r)]) -= 1.f;
      }
      g /= static_cast<float>(rows);
      loss /= static_cast<float>(rows);
    } else {
      g = out - target;
      loss = g.squaredNorm() / static_cast<float>(g.size());
      g *= 2.f / static_cast<float>(g.size());
    }
    for (auto l = layers; l-- > 0;) {
      dw[l].noalias() = act[l].transpose() * grad[l + 1];
      db[l] = grad[l + 1].colwise().sum();
      if (l > 0) {  // the input of layer l is a relu output: mask by act > 0
        grad[l].noalias() = grad[l + 1] * w[l].transpose();
        grad[l] = (act[l].array() > 0.f).select(grad[l], 0.f);
      }
      w[l] -= lr * dw[l];
      b[l] -= lr * db[l];
    }
    return loss;
  }
};

double seconds_per_iter(const std::function<void()>& body, int iters) {
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < iters; ++i) body();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / iters;
}

void report(const char* bench, const char* unit, double scale, int iters, int rounds, int threads, std::mt19937& gen,
            const std::vector<int>& dims, int batch, bool xent, float lr) {
  mlp net(dims, xent, lr, batch, gen);
  std::normal_distribution<float> normal;
  mat x(batch, dims.front()), target(batch, dims.back());
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = normal(gen);
  for (Eigen::Index i = 0; i < target.size(); ++i) target.data()[i] = normal(gen);
  std::vector<int> labels(static_cast<std::size_t>(batch));
  for (int r = 0; r < batch; ++r) labels[static_cast<std::size_t>(r)] = r % dims.back();
  auto step = [&] { net.step(x, labels, target); };
  for (int i = 0; i < 20; ++i) step();
  std::vector<double> samples;
  for (int r = 0; r < rounds; ++r) samples.push_back(seconds_per_iter(step, iters) * scale);
  std::sort(samples.begin(), samples.end());
  std::printf("RESULT\t%s\teigen\tthreads=%d\t%s\tbest=%.4g\tmedian=%.4g\tsamples=%d\n", bench, threads, unit,
              samples.front(), samples[samples.size() / 2], rounds);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  if (rounds < 1) {
    std::fprintf(stderr, "mlp_eigen_bench: rounds must be a positive integer, not '%s'\n", argv[1]);
    return 2;
  }
  int threads = omp_get_max_threads();
  Eigen::setNbThreads(threads);
  std::mt19937 gen(0);
  report("mlp784_256_10_b64_train_step", "ms", 1e3, 50, rounds, threads, gen, {784, 256, 10}, 64, true, 0.1f);
  report("tiny8_16_1_b8_train_step", "us", 1e6, 2000, rounds, threads, gen, {8, 16, 1}, 8, false, 0.01f);
}
