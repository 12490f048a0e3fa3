// Seed 004, Examples 1 and 2: a metric that creates a variable inside the traced training step
// (the article's "problematic" metric, and its "improved" one, which still creates it). The first
// trace is allowed to create it; the first retrace (a new batch size) fails.
// Expect: first_ok=1 retrace_error=1
// Hazards: trace-variable-creation
#include <tl/tl.h>

#include <iostream>

tl::tensor improved_metric(const tl::tensor& y_true, const tl::tensor& y_pred) {
  tl::variable internal_variable(tl::constant(0.0, tl::dtype::int32));  // created on every trace
  internal_variable.assign_add(tl::constant(1.0, tl::dtype::int32));
  return tl::mean(tl::abs(y_true - y_pred));
}

int main() {
  auto training_step = tl::function(
      [](const tl::tensor& x, const tl::tensor& y) { return improved_metric(y, x * 2.0); }, {.name = "training_step"});
  int first_ok = training_step(tl::ones({4, 10}), tl::ones({4, 10})).item<float>() == 1.f;
  int retrace_error = 0;
  try {
    training_step(tl::ones({3, 10}), tl::ones({3, 10}));
  } catch (const tl::error& e) {
    retrace_error = 1;
    std::cout << "error: " << e.what() << "\n";
  }
  std::cout << "first_ok=" << first_ok << " retrace_error=" << retrace_error << "\n";
}
