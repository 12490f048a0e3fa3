// The libtorch side of the training-step comparison: the same two models as runtime_bench.cpp
// (MLP 784-256-10 batch 64 softmax cross-entropy SGD 0.1; MLP 8-16-1 batch 8 MSE SGD 0.01), written
// the way a libtorch user writes them (nn::Linear, optim::SGD, backward), on Debian's libtorch.
// scripts/bench.sh runs this program and runtime_bench alternately, one round each, so a burst of
// load on the machine hits both; bench/summarize.py takes the medians over rounds.
//
// Threads: OMP_NUM_THREADS (libtorch's intra-op pool and OpenBLAS's OpenMP build share libgomp).
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace {

struct two_layer : torch::nn::Module {
  torch::nn::Linear hidden{nullptr}, out{nullptr};
  two_layer(std::int64_t in, std::int64_t width, std::int64_t outputs)
      : hidden(register_module("hidden", torch::nn::Linear(in, width))),
        out(register_module("out", torch::nn::Linear(width, outputs))) {}
  torch::Tensor forward(const torch::Tensor& x) { return out->forward(torch::relu(hidden->forward(x))); }
};

double seconds_per_iter(const std::function<void()>& body, int iters) {
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < iters; ++i) body();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / iters;
}

void report(const char* bench, const char* unit, double scale, int iters, int rounds, int threads,
            const std::function<void()>& step) {
  for (int i = 0; i < 20; ++i) step();  // warm up allocator caches and the autograd engine
  std::vector<double> samples;
  for (int r = 0; r < rounds; ++r) samples.push_back(seconds_per_iter(step, iters) * scale);
  std::sort(samples.begin(), samples.end());
  std::printf("RESULT\t%s\tlibtorch\tthreads=%d\t%s\tbest=%.4g\tmedian=%.4g\tsamples=%d\n", bench, threads, unit,
              samples.front(), samples[samples.size() / 2], rounds);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  if (rounds < 1) {
    std::fprintf(stderr, "libtorch_bench: rounds must be a positive integer, not '%s'\n", argv[1]);
    return 2;
  }
  const char* env = std::getenv("OMP_NUM_THREADS");
  int threads = env && *env ? std::atoi(env) : 1;
  torch::set_num_threads(threads);
  torch::manual_seed(0);

  two_layer big(784, 256, 10);
  auto x = torch::randn({64, 784});
  auto labels = torch::arange(64, torch::kLong).remainder(10);
  torch::optim::SGD big_opt(big.parameters(), torch::optim::SGDOptions(0.1));
  report("mlp784_256_10_b64_train_step", "ms", 1e3, 50, rounds, threads, [&] {
    big_opt.zero_grad();
    auto loss = torch::nn::functional::cross_entropy(big.forward(x), labels);
    loss.backward();
    big_opt.step();
  });

  two_layer tiny(8, 16, 1);
  auto tx = torch::randn({8, 8});
  auto ty = torch::randn({8, 1});
  torch::optim::SGD tiny_opt(tiny.parameters(), torch::optim::SGDOptions(0.01));
  report("tiny8_16_1_b8_train_step", "us", 1e6, 500, rounds, threads, [&] {
    tiny_opt.zero_grad();
    auto loss = torch::mse_loss(tiny.forward(tx), ty);
    loss.backward();
    tiny_opt.step();
  });
}
