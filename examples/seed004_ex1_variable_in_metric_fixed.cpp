// Seed 004, Examples 1 and 2, fixed: the variable is created once, outside the traced step, and
// passed to the metric; any number of retraces works and the count covers every call.
// Expect: metric_calls=3 traces=2
// Hazards: none
#include <tl/tl.h>

#include <iostream>

tl::tensor counted_metric(const tl::variable& calls, const tl::tensor& y_true, const tl::tensor& y_pred) {
  calls.assign_add(tl::constant(1.0, tl::dtype::int32));
  return tl::mean(tl::abs(y_true - y_pred));
}

int main() {
  tl::variable calls(tl::constant(0.0, tl::dtype::int32), "metric_calls");
  auto training_step = tl::function(
      [&](const tl::tensor& x, const tl::tensor& y) { return counted_metric(calls, y, x * 2.0); }, {.name = "training_step"});
  training_step(tl::ones({4, 10}), tl::ones({4, 10}));
  training_step(tl::ones({3, 10}), tl::ones({3, 10}));
  training_step(tl::ones({4, 10}), tl::ones({4, 10}));
  std::cout << "metric_calls=" << calls.value().item<std::int32_t>() << " traces=" << training_step.tracing_count() << "\n";
}
