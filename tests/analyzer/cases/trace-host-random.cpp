// Annotated cases for trace-host-random.
#include <tl/tl.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <random>

void positives() {
  std::mt19937 gen(1);
  auto f = tl::function([&](const tl::tensor& x) {
    double noise = std::rand() / 1e9;  // WARN[trace-host-random]: 'rand' draws a host random number or reads a clock while tracing 'f'
    auto t = std::chrono::steady_clock::now();  // WARN[trace-host-random]: reads a clock
    std::normal_distribution<float> d;
    float n = d(gen);  // WARN[trace-host-random]: draws a host random number
    (void)t;
    return x * noise * static_cast<double>(n);
  });
  (void)f;
}

void negatives() {
  auto f = tl::function([](const tl::tensor& x) { return x + tl::random_normal({2}, 42); });  // a seeded tl op
  int seed = std::rand();  // outside any traced function
  (void)seed;
  (void)f;
}
