// a19_stored_lambdas: a training loop whose step bodies and callbacks are lambdas kept in variables and
// traced later; callbacks reach the traced code through a template helper.
// Hazards:
//   trace-host-mutation x2: a callback lambda bumps a counter it captured by reference (reached through
//     the template helper run_with); the stored body pushes into a captured vector of names.
//   trace-host-random x1: a jitter callback draws std::rand at trace time.
//   trace-function-in-loop x1: the stored body wrapped in tl::function inside the loop that calls it.
//   trace-scalar-retrace x1: the step index passed as a host int.
// Must stay silent: a std::function activation of pure ops; a tl::print callback; a lambda with the same
//   writes that is only called eagerly; functions created once before the loop and called in it.
#include <tl/tl.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

template <class Cb>
tl::tensor run_with(const tl::tensor& x, Cb&& on_value) {
  auto y = tl::tanh(x);
  on_value(y);
  return y;
}

int main() {
  int callbacks = 0;
  std::vector<std::string> names;
  std::function<tl::tensor(const tl::tensor&)> act = [](const tl::tensor& t) { return tl::relu(t); };  // ok: pure-op activation
  auto count_cb = [&callbacks](const tl::tensor&) { ++callbacks; };                // WARN[trace-host-mutation]: runs from f1's trace through run_with; counts traces
  auto print_cb = [](const tl::tensor& t) { (void)tl::print(t, "cb"); };           // ok: graph print
  auto jitter_cb = [](const tl::tensor& t) { return t * (1.0 + std::rand() % 3); };  // WARN[trace-host-random]: std::rand frozen at trace time (reached from f2)
  auto body = [&](const tl::tensor& x) {
    names.push_back("body");                                                        // WARN[trace-host-mutation]: captured vector grows once per trace
    return act(run_with(x, count_cb));
  };
  auto body2 = [&](const tl::tensor& x) { return jitter_cb(run_with(x, print_cb)); };
  auto body3 = [](const tl::tensor& x, int idx) { return x * static_cast<double>(idx % 2); };
  auto eager_only = [&](const tl::tensor& x) {
    names.push_back("eager");                                                       // ok: this lambda is never traced
    ++callbacks;                                                                    // ok: never traced
    return x;
  };

  auto x = tl::ones({3});
  eager_only(x);
  auto f2 = tl::function(body2, {.name = "f2"});                                    // ok: created once, before the loop
  auto f3 = tl::function(body3, {.name = "f3"});                                    // ok: created once, before the loop
  for (int i = 0; i < 3; ++i) {
    auto f1 = tl::function(body, {.name = "f1"});                                   // WARN[trace-function-in-loop]: stored body wrapped anew every iteration
    f1(x);
    f2(x);                                                                          // ok: created before the loop
    f3(x, i);                                                                       // WARN[trace-scalar-retrace]: loop counter passed as a host int
  }
  std::cout << callbacks << " " << names.size() << "\n";
  return 0;
}
