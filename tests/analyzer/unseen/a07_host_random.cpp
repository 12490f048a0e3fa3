// a07_host_random: data augmentation and dropout written with host RNG, plus a timing helper, inside
// traced steps.
// Hazards (trace-host-random x4): std::rand in the traced lambda; a std::normal_distribution draw on a
//   global engine in the traced lambda; a helper drawing from uniform_real_distribution; a helper reading
//   steady_clock. Both helpers are reached from noisy_bad.
// Must stay silent: tl::random_generator draws; an op-seeded tl::random_uniform; a stateless op (a fixed
//   pattern is wanted); host draws and clock reads outside traces; the drawn value passed as a tensor.
// Known limit (marked limit[...]): the host draw passed as a host double varies through a call (not an
//   assignment in the loop), which trace-scalar-retrace documents as not recognized.
#include <tl/tl.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>

std::mt19937 g_engine(1234);

double jitter() {
  return std::uniform_real_distribution<double>(-0.1, 0.1)(g_engine);              // WARN[trace-host-random]: drawn once per trace (reached from noisy_bad)
}

double elapsed_ms(std::chrono::steady_clock::time_point t0) {
  const auto now = std::chrono::steady_clock::now();                               // WARN[trace-host-random]: clock read frozen at trace time (reached from noisy_bad)
  return std::chrono::duration<double, std::milli>(now - t0).count();
}

int main() {
  tl::random_generator gen(7);
  const auto t0 = std::chrono::steady_clock::now();                                // ok: clock read outside traces
  std::normal_distribution<float> noise(0.f, 1.f);
  std::mt19937 host_engine(99);
  std::normal_distribution<double> host_noise(0.0, 0.1);
  auto x = tl::ones({4});

  auto dropout_bad = tl::function([](const tl::tensor& t) {
    const double keep = 0.5 + 0.4 * (std::rand() / static_cast<double>(RAND_MAX));  // WARN[trace-host-random]: std::rand frozen into the graph
    return t * keep;
  }, {.name = "dropout_bad"});
  auto noisy_bad = tl::function([&](const tl::tensor& t) {
    const float n = noise(g_engine);                                               // WARN[trace-host-random]: distribution draw at trace time
    return t + static_cast<double>(n) + jitter() + elapsed_ms(t0) * 1e-6;
  }, {.name = "noisy_bad"});
  auto noisy_good = tl::function([&](const tl::tensor& t) {
    return t + gen.normal({4}) + tl::random_uniform({4}, 99);                     // ok: graph random ops, new values on every call
  }, {.name = "noisy_good"});
  auto pattern = tl::function([](const tl::tensor& t) {
    return t * tl::stateless_uniform({4}, 5);                                      // ok: the same values on every call are wanted
  }, {.name = "pattern"});
  auto add_eps = tl::function([](const tl::tensor& t, const tl::tensor& eps) { return t + eps; }, {.name = "add_eps"});
  auto mul_eps = tl::function([](const tl::tensor& t, double eps) { return t * eps; }, {.name = "mul_eps"});

  for (int i = 0; i < 4; ++i) {
    dropout_bad(x);
    noisy_bad(x);
    noisy_good(x);
    pattern(x);
    const double eps = host_noise(host_engine);                                    // ok: host draw outside traces
    add_eps(x, tl::constant(eps));                                                 // ok: fresh value passed as a tensor
    mul_eps(x, eps);                                                               // limit[trace-scalar-retrace]: eps varies through a call, not an assignment in the loop
  }
  std::cout << "elapsed " << elapsed_ms(t0) << "\n";                               // ok: helper also called eagerly here
  return 0;
}
