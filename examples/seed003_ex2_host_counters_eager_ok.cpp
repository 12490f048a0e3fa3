// Seed 003, Example 2: host counters accumulated outside any traced function, from values read
// eagerly. Correct: eager code runs every time (the seed's claim that stateful metrics cannot work
// eagerly is wrong; this is just one way).
// Expect: accuracy=0.625
// Hazards: none
#include <tl/tl.h>

#include <iostream>
#include <utility>

std::pair<std::int64_t, std::int64_t> calculate_accuracy(const tl::tensor& labels, const tl::tensor& predictions) {
  auto correct_count = tl::sum(tl::cast(tl::equal(labels, predictions), tl::dtype::int32)).item<std::int32_t>();
  return {correct_count, labels.size()};
}

int main() {
  std::int64_t correct_total = 0, total_samples = 0;
  auto labels = tl::tensor::from_vector<std::int32_t>({1, 0, 1, 1}, {4});
  for (auto preds : {std::vector<std::int32_t>{1, 1, 0, 1}, std::vector<std::int32_t>{0, 0, 1, 1}}) {
    auto [c, n] = calculate_accuracy(labels, tl::tensor::from_vector(preds, {4}));
    correct_total += c;
    total_samples += n;
  }
  std::cout << "accuracy=" << static_cast<double>(correct_total) / static_cast<double>(total_samples) << "\n";
}
