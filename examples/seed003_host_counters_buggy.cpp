// Seed 003 ("stateful custom metrics cannot work eagerly"): they can. The real point is that host
// counters updated inside a traced function change once per trace.
// Expect: correct_total=2 total_samples=4 (one batch counted of two)
// Hazards: trace-host-mutation
#include <tl/tl.h>

#include <iostream>

int main() {
  std::int64_t correct_total = 0;
  std::int64_t total_samples = 0;
  auto labels = tl::tensor::from_vector<std::int32_t>({1, 0, 1, 1}, {4});
  auto count_batch = tl::function(
      [&](const tl::tensor& y, const tl::tensor& p) {
        correct_total += 2;  // stands for the batch's correct count, known only while tracing
        total_samples += y.shape()[0];
        return tl::sum(tl::cast(tl::equal(y, p), tl::dtype::int32));
      },
      {.name = "count_batch"});
  count_batch(labels, tl::tensor::from_vector<std::int32_t>({1, 1, 0, 1}, {4}));
  count_batch(labels, tl::tensor::from_vector<std::int32_t>({0, 0, 1, 1}, {4}));
  std::cout << "correct_total=" << correct_total << " total_samples=" << total_samples << "\n";
}
