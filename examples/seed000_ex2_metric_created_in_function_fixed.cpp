// Seed 000, Example 2, fixed: the metric is created once, outside; every batch size works and the
// metric accumulates over all calls.
// Expect: accuracy=0.8 traces=2
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  tl::metrics::accuracy accuracy;
  auto calculate_accuracy = tl::function(
      [&](const tl::tensor& predictions, const tl::tensor& labels) { accuracy.update_state(labels, predictions); },
      {.name = "calculate_accuracy"});
  calculate_accuracy(tl::tensor::from_vector<std::int32_t>({1, 0}, {2}), tl::tensor::from_vector<std::int32_t>({1, 1}, {2}));
  calculate_accuracy(tl::tensor::from_vector<std::int32_t>({1, 1, 1}, {3}), tl::tensor::from_vector<std::int32_t>({1, 1, 1}, {3}));
  std::cout << "accuracy=" << accuracy.result().item<float>() << " traces=" << calculate_accuracy.tracing_count() << "\n";
}
