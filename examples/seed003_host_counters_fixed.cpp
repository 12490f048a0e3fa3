// Seed 003, fixed: the counters are variables updated by graph ops on every call.
// Expect: correct_total=5 total_samples=8
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  tl::variable correct_total(tl::constant(0.0, tl::dtype::int32), "correct_total");
  tl::variable total_samples(tl::constant(0.0, tl::dtype::int32), "total_samples");
  auto labels = tl::tensor::from_vector<std::int32_t>({1, 0, 1, 1}, {4});
  auto count_batch = tl::function(
      [&](const tl::tensor& y, const tl::tensor& p) {
        correct_total.assign_add(tl::sum(tl::cast(tl::equal(y, p), tl::dtype::int32)));
        total_samples.assign_add(tl::constant(static_cast<double>(y.shape()[0]), tl::dtype::int32));
      },
      {.name = "count_batch"});
  count_batch(labels, tl::tensor::from_vector<std::int32_t>({1, 1, 0, 1}, {4}));
  count_batch(labels, tl::tensor::from_vector<std::int32_t>({0, 0, 1, 1}, {4}));
  std::cout << "correct_total=" << correct_total.value().item<std::int32_t>()
            << " total_samples=" << total_samples.value().item<std::int32_t>() << "\n";
}
