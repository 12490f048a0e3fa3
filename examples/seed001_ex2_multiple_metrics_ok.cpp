// Seed 001, Example 2: two metrics updated in one traced step. Correct as written: both keep
// their state in variables. (As in the article, "accuracy" compares float predictions for exact
// equality, so it is 0 here.)
// Expect: accuracy=0 loss=0.02
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  tl::metrics::accuracy accuracy_metric;
  tl::metrics::mean loss_metric;
  auto process_batch = tl::function(
      [&](const tl::tensor& batch) {
        auto predictions = tl::reshape(tl::slice(batch, {0, 0}, {-1, 1}), {-1});
        auto labels = tl::reshape(tl::slice(batch, {0, 1}, {-1, 1}), {-1});
        auto loss = tl::mean(tl::square(predictions - labels));
        accuracy_metric.update_state(labels, predictions);
        loss_metric.update_state(loss);
      },
      {.name = "process_batch"});
  process_batch(tl::tensor::from_vector<float>({1.0f, 0.9f, 2.0f, 1.8f, 3.0f, 3.1f}, {3, 2}));
  std::cout << "accuracy=" << accuracy_metric.result().item<float>() << " loss=" << loss_metric.result().item<float>()
            << "\n";
}
