// Seed 000, fixed: the metric's state lives in variables, so update_state inside the traced step
// is a graph operation and runs on every call. Nothing needs to be returned (the seed's advice to
// return the metric is unnecessary).
// Expect: accuracy=1 batches_seen=5
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  tl::metrics::sparse_categorical_accuracy accuracy;
  tl::metrics::sum batches;
  auto labels = tl::tensor::from_vector<std::int64_t>({0, 1, 1, 0}, {4});
  auto logits = tl::tensor::from_vector<float>({2, 1, 0, 3, 1, 2, 4, 0}, {4, 2});
  auto step = tl::function(
      [&](const tl::tensor& y, const tl::tensor& z) {
        accuracy.update_state(y, z);
        batches.update_state(tl::constant(1.0));
      },
      {.name = "evaluate_batch"});
  for (int i = 0; i < 5; ++i) step(labels, logits);
  std::cout << "accuracy=" << accuracy.result().item<float>() << " batches_seen=" << batches.result().item<float>()
            << "\n";
}
