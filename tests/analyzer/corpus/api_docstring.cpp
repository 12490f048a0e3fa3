// Ported from the tf.function API docs: data-dependent control flow must stay in graph ops (a host
// branch on a traced tensor has no value to test), host randomness and clocks are frozen at trace
// time, and concrete values captured from outside may be read on the host while tracing.
#include <tl/tl.h>

#include <chrono>
#include <cstdlib>

int main() {
  auto f = tl::function([](const tl::tensor& x, const tl::tensor& y) { return x * x + y; }, {.name = "f"});
  f(tl::constant(2.0), tl::constant(3.0));

  auto branchy = tl::function([](const tl::tensor& x) {
    if (tl::greater(tl::sum(x), tl::constant(0.0))) return x * x;  // ERROR[trace-host-read]: operator bool
    return -x;
  }, {.name = "branchy"});
  branchy(tl::ones({2}));
  auto graph_branch = tl::function([](const tl::tensor& x) {
    return tl::where(tl::greater(tl::sum(x), tl::constant(0.0)), x * x, -x);
  }, {.name = "graph_branch"});
  graph_branch(tl::ones({2}));

  auto numpy_inside = tl::function([](const tl::tensor& x) {
    float m = tl::mean(x).item<float>();  // ERROR[trace-host-read]: item
    return x - static_cast<double>(m);
  }, {.name = "numpy_inside"});
  numpy_inside(tl::ones({2}));
  auto offset = tl::constant(1.5);  // concrete: its value exists while tracing
  auto reads_concrete = tl::function([&](const tl::tensor& x) {
    double o = offset.item<float>();
    return x + o;
  }, {.name = "reads_concrete"});
  reads_concrete(tl::ones({2}));

  auto noisy = tl::function([](const tl::tensor& x) {
    double noise = std::rand() / static_cast<double>(RAND_MAX);  // WARN[trace-host-random]: rand
    auto started = std::chrono::steady_clock::now();  // WARN[trace-host-random]: now
    (void)started;
    return x + noise;
  }, {.name = "noisy"});
  noisy(tl::ones({2}));
  auto graph_noise = tl::function([](const tl::tensor& x) { return x + tl::random_uniform({2}, 7); }, {.name = "graph_noise"});
  graph_noise(tl::ones({2}));
  double host_noise = std::rand() / static_cast<double>(RAND_MAX);  // outside any trace: drawn every time
  graph_noise(tl::ones({2}) * host_noise);
  return 0;
}
