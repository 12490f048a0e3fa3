// Seed 004, fixed: the count lives in a variable created once, outside the function (creating it
// inside, as the seed suggests, fails on the second trace), and an input_signature with an
// unknown batch dimension gives one trace for every batch size.
// Expect: metric_calls=6 traces=1
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  tl::variable metric_calls(tl::constant(0.0), "metric_calls", false);
  auto shape_agnostic_metric = [&](const tl::tensor& y_true, const tl::tensor& y_pred) {
    metric_calls.assign_add(tl::constant(1.0));
    return tl::mean(tl::abs(y_true - y_pred));
  };
  auto training_step = tl::function(
      [&](const tl::tensor& x, const tl::tensor& y) { return shape_agnostic_metric(y, x * 2.0); },
      {.name = "training_step",
       .input_signature = std::vector<tl::tensor_spec>{{{-1, 10}, tl::dtype::float32}, {{-1, 10}, tl::dtype::float32}}});
  for (std::int64_t batch : {8, 8, 5, 8, 3, 5}) {
    training_step(tl::ones({batch, 10}), tl::ones({batch, 10}));
  }
  std::cout << "metric_calls=" << metric_calls.value().item<float>() << " traces=" << training_step.tracing_count()
            << " calls=6\n";
}
