// Seed 000, Example 2 ("correct implementation"): it creates a new metric, and so new variables,
// inside the traced function. That is the real bug: variables may be created on a function's first
// trace only, so the first retrace (here a new batch size) fails.
// Expect: first_batch_ok=1 retrace_error=1
// Hazards: trace-variable-creation
#include <tl/tl.h>

#include <iostream>

int main() {
  auto calculate_accuracy = tl::function(
      [](const tl::tensor& predictions, const tl::tensor& labels) {
        tl::metrics::accuracy accuracy;  // new variables on every trace
        accuracy.update_state(labels, predictions);
        return accuracy.result();
      },
      {.name = "calculate_accuracy"});
  int first_batch_ok = 0, retrace_error = 0;
  first_batch_ok = calculate_accuracy(tl::tensor::from_vector<std::int32_t>({1, 0}, {2}),
                                      tl::tensor::from_vector<std::int32_t>({1, 1}, {2})).item<float>() == 0.5f;
  try {
    calculate_accuracy(tl::tensor::from_vector<std::int32_t>({1, 0, 1}, {3}), tl::tensor::from_vector<std::int32_t>({1, 1, 1}, {3}));
  } catch (const tl::error& e) {
    retrace_error = 1;
    std::cout << "error: " << e.what() << "\n";
  }
  std::cout << "first_batch_ok=" << first_batch_ok << " retrace_error=" << retrace_error << "\n";
}
