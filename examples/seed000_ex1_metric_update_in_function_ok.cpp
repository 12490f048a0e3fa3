// Seed 000, Example 1 as the article wrote it ("incorrect implementation"): a metric created
// outside and updated inside the traced function, read after the loop. Under real tf.function
// semantics this is correct: the metric's state is in variables, and update_state is recorded as
// graph ops that run on every call. Nothing is stale.
// Expect: accuracy=0.625 calls=2
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  tl::metrics::accuracy accuracy;
  auto model = [](const tl::tensor& x) { return tl::cast(tl::greater(x, tl::constant(0.0)), tl::dtype::int32); };
  auto calculate_accuracy = tl::function(
      [&](const tl::tensor& features, const tl::tensor& labels) { accuracy.update_state(labels, model(features)); },
      {.name = "calculate_accuracy"});
  calculate_accuracy(tl::tensor::from_vector<float>({1, -1, 2, -2}, {4}), tl::tensor::from_vector<std::int32_t>({1, 0, 0, 0}, {4}));
  calculate_accuracy(tl::tensor::from_vector<float>({1, 1, -1, -1}, {4}), tl::tensor::from_vector<std::int32_t>({1, 0, 1, 0}, {4}));
  std::cout << "accuracy=" << accuracy.result().item<float>() << " calls=2\n";
}
