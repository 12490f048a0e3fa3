// Seed 000, Example 3: the metric object passed into the traced function and "returned". Passing
// it changes nothing (it is captured by reference either way) and the result is correct, as in
// Example 1.
// Expect: accuracy=0.75
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  tl::metrics::accuracy accuracy;
  auto calculate_accuracy = tl::function(
      [](const tl::tensor& predictions, const tl::tensor& labels, tl::metrics::accuracy& metric) -> void {
        metric.update_state(labels, predictions);
      },
      {.name = "calculate_accuracy"});
  for (int i = 0; i < 3; ++i) {
    calculate_accuracy(tl::tensor::from_vector<std::int32_t>({1, 0, 1, 1}, {4}),
                       tl::tensor::from_vector<std::int32_t>({1, 1, 1, 1}, {4}), accuracy);
  }
  std::cout << "accuracy=" << accuracy.result().item<float>() << "\n";
}
