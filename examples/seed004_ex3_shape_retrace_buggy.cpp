// Seed 004 ("custom metric triggers retracing"): mutating a global does not retrace, it is
// silently skipped on replay; shapes that change from call to call do retrace.
// Expect: metric_calls=8 traces=8 (eight batch sizes, eight traces; the global counted traces)
// Hazards: trace-host-mutation, trace-shape-retrace
#include <tl/tl.h>

#include <iostream>

int metric_calls = 0;  // host state bumped inside the traced metric

tl::tensor problematic_metric(const tl::tensor& y_true, const tl::tensor& y_pred) {
  metric_calls += 1;
  return tl::mean(tl::abs(y_true - y_pred));
}

int main() {
  auto training_step = tl::function(
      [](const tl::tensor& x, const tl::tensor& y) { return problematic_metric(y, x * 2.0); }, {.name = "training_step"});
  for (std::int64_t batch : {8, 7, 6, 5, 4, 3, 2, 1}) {
    training_step(tl::ones({batch, 10}), tl::ones({batch, 10}));
  }
  std::cout << "metric_calls=" << metric_calls << " traces=" << training_step.tracing_count() << " calls=8\n";
}
