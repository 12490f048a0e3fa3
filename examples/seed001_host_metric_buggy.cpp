// Seed 001 ("pass metrics in and out"): passing the metric object changes nothing. The real trap
// is a custom metric whose state is a host number: its update runs only while tracing.
// Expect: mean=3 updates_recorded=1 calls=5
// Hazards: trace-host-mutation
#include <tl/tl.h>

#include <iostream>

struct HostMean {
  double total = 0;
  double count = 0;
  void update_state(const tl::tensor& values) {
    total += 3.0;  // stands for the batch mean read at trace time
    count += 1;
  }
  double result() const { return total / count; }
};

int main() {
  HostMean mean_metric;
  auto data = tl::tensor::from_vector<float>({1, 2, 3, 4, 5}, {5});
  auto compute_mean = tl::function([&](const tl::tensor& x) { mean_metric.update_state(x); }, {.name = "compute_mean"});
  for (int i = 0; i < 5; ++i) compute_mean(data);
  std::cout << "mean=" << mean_metric.result() << " updates_recorded=" << mean_metric.count << " calls=5\n";
}
