// Seed 001, Example 1: a mean metric updated by a helper called from the traced function, and
// returned. Correct as written (returning the metric is unnecessary but harmless).
// Expect: mean=3
// Hazards: none
#include <tl/tl.h>

#include <iostream>

tl::metrics::mean& compute_mean(const tl::tensor& data, tl::metrics::mean& mean_metric) {
  mean_metric.update_state(data);
  return mean_metric;
}

int main() {
  tl::metrics::mean mean_metric;
  auto calculate_mean_in_graph = tl::function(
      [&](const tl::tensor& data) -> void { compute_mean(data, mean_metric); }, {.name = "calculate_mean_in_graph"});
  calculate_mean_in_graph(tl::tensor::from_vector<float>({1, 2, 3, 4, 5}, {5}));
  std::cout << "mean=" << mean_metric.result().item<float>() << "\n";
}
