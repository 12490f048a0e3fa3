// Imitates an image-augmentation step (random flip + jitter, torchvision/Keras preprocessing-layer style) compiled as a traced function, next to a correct tl-random version.
// Hazards: trace-host-random (clock read used as jitter phase), trace-host-random (std::rand flip), trace-host-io (printf while tracing).
// Must stay silent: tl::random_uniform with an op seed and tl::random_generator inside the trace, stateless_uniform for a fixed mask, host std::mt19937 shuffling and batch choice outside the trace.
#include <tl/tl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <vector>

int main() {
  auto images = tl::stateless_normal({8, 6}, 171);
  tl::random_generator gen(172);

  auto augment_host = tl::function([&](const tl::tensor& x) {
    const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();  // WARN[trace-host-random]: clock frozen at trace time
    const double floor_jitter = static_cast<double>(ticks % 100) / 100.0;
    const double flip = (std::rand() % 2 == 0) ? 1.0 : -1.0;  // WARN[trace-host-random]: one coin flip per trace
    std::printf("augment_host traced for %lld rows\n", static_cast<long long>(x.shape()[0]));  // WARN[trace-host-io]
    return tl::maximum(x * flip, tl::constant(-5.0 - floor_jitter));  // clip floor "jittered" by the clock
  }, {.name = "augment_host"});

  auto augment_tl = tl::function([&](const tl::tensor& x) {
    auto coin = tl::random_uniform({x.shape()[0], 1}, 17);
    auto sign = tl::where(tl::less(coin, tl::constant(0.5)), tl::fill({x.shape()[0], 1}, -1.0), tl::ones({x.shape()[0], 1}));
    auto jitter = gen.uniform(x.shape(), -0.01f, 0.01f);
    auto cutout = tl::cast(tl::greater(tl::stateless_uniform({1, x.shape()[1]}, 5), tl::constant(0.1)), tl::dtype::float32);
    return x * sign * cutout + jitter;
  }, {.name = "augment_tl"});

  std::mt19937 rng(11);
  std::vector<std::int64_t> order{0, 1, 2, 3, 4, 5, 6, 7};
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    auto idx = tl::tensor::from_vector<std::int64_t>(std::vector<std::int64_t>(order.begin(), order.begin() + 4), {4});
    auto batch = tl::gather(images, idx);
    const float a = tl::mean(augment_host(batch)).item<float>();
    const float b = tl::mean(tl::abs(augment_tl(batch))).item<float>();
    std::cout << "epoch " << epoch << " host-aug mean " << a << " tl-aug |mean| " << b << "\n";
  }
  std::cout << "generator draws " << gen.draws() << "\n";
  return 0;
}
