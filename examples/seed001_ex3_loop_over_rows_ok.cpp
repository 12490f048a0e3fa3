// Seed 001, Example 3: the article feeds a metric object through tf.while_loop as a loop variable,
// which TF does not accept. The valid C++ equivalent: a host loop over the rows, which runs while
// tracing and unrolls into one update per row in the graph; the updates run on every call.
// Expect: mean=2 traces=1
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  tl::metrics::mean mean_metric;
  auto process_variable_length_data = tl::function(
      [&](const tl::tensor& data) {
        for (std::int64_t i = 0; i < data.shape()[0]; ++i) mean_metric.update_state(tl::slice(data, {i}, {1}));
      },
      {.name = "process_variable_length_data"});
  process_variable_length_data(tl::tensor::from_vector<float>({1, 2, 3}, {3}));
  process_variable_length_data(tl::tensor::from_vector<float>({1, 2, 3}, {3}));
  std::cout << "mean=" << mean_metric.result().item<float>() << " traces=" << process_variable_length_data.tracing_count()
            << "\n";
}
