// Seed 001, fixed: tl::metrics::mean keeps total and count in variables.
// Expect: mean=3 updates_recorded=5
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  tl::metrics::mean mean_metric;
  tl::metrics::sum updates;
  auto data = tl::tensor::from_vector<float>({1, 2, 3, 4, 5}, {5});
  auto compute_mean = tl::function(
      [&](const tl::tensor& x) {
        mean_metric.update_state(x);
        updates.update_state(tl::constant(1.0));
      },
      {.name = "compute_mean"});
  for (int i = 0; i < 5; ++i) compute_mean(data);
  std::cout << "mean=" << mean_metric.result().item<float>() << " updates_recorded=" << updates.result().item<float>()
            << " calls=5\n";
}
