// Seed 003, Example 1: a stateless accuracy function run eagerly, twice. Each call is independent,
// as it should be: nothing is accumulated because nothing was meant to be. Correct as written.
// Expect: first=0.5 second=0.75
// Hazards: none
#include <tl/tl.h>

#include <iostream>

tl::tensor incorrect_accuracy(const tl::tensor& labels, const tl::tensor& predictions) {
  auto correct = tl::equal(labels, predictions);
  auto total = static_cast<double>(labels.size());
  return tl::cast(tl::sum(tl::cast(correct, tl::dtype::int32)), tl::dtype::float32) / total;
}

int main() {
  tl::run_functions_eagerly(true);
  auto labels = tl::tensor::from_vector<std::int32_t>({1, 0, 1, 1}, {4});
  auto first = incorrect_accuracy(labels, tl::tensor::from_vector<std::int32_t>({1, 1, 0, 1}, {4}));
  auto second = incorrect_accuracy(labels, tl::tensor::from_vector<std::int32_t>({0, 0, 1, 1}, {4}));
  std::cout << "first=" << first.item<float>() << " second=" << second.item<float>() << "\n";
}
