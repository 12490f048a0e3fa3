// Ported from the tf.function guide, "Rules of tracing" (host values are part of the cache key by
// value) and "Controlling retracing": a host argument that takes a few known values traces once per
// value and is then cached; one that takes a new value on every iteration traces every iteration.
#include <tl/tl.h>

#include <cstdint>

int main() {
  auto dropout_step = tl::function([](const tl::tensor& x, bool training) { return training ? x * 0.5 : x; },
                                   {.name = "dropout_step"});
  auto x = tl::ones({4});
  for (int i = 0; i < 10; ++i) dropout_step(x, i % 2 == 0);  // two values: two traces, then replays
  for (int i = 0; i < 10; ++i) dropout_step(x, true);

  auto power = tl::function([](const tl::tensor& t, std::int64_t n) {
    tl::tensor out = t;
    for (std::int64_t k = 1; k < n; ++k) out = out * t;  // unrolled while tracing: n must be a host value
    return out;
  }, {.name = "power"});
  for (std::int64_t n = 1; n <= 3; ++n) power(x, n);  // WARN[trace-scalar-retrace]: argument 1
  const std::int64_t cube = 3;
  for (int epoch = 0; epoch < 5; ++epoch) power(x, cube);

  auto at_step = tl::function([](const tl::tensor& t, int step) { return t * static_cast<double>(step); }, {.name = "at_step"});
  int step = 0;
  while (step < 100) {
    at_step(x, step);  // WARN[trace-scalar-retrace]: argument 1
    step += 10;
  }
  auto at_step_t = tl::function([](const tl::tensor& t, const tl::tensor& s) { return t * s; }, {.name = "at_step_t"});
  for (int s = 0; s < 100; s += 10) at_step_t(x, tl::constant(static_cast<double>(s)));
  return 0;
}
