// Ported from the tf.function guide's loop over a dataset: batches of one shape replay one graph;
// a ragged last batch computed in the loop is a second shape. Accumulating per-batch results on
// the host outside the traced step, from the returned concrete tensors, is correct.
#include <tl/tl.h>

#include <algorithm>
#include <cstdint>
#include <vector>

int main() {
  auto data = tl::random_normal({10, 4}, 3);
  tl::variable w(tl::random_normal({4, 1}, 4));
  auto predict = tl::function([&](const tl::tensor& batch) { return tl::mean(tl::matmul(batch, w)); }, {.name = "predict"});

  std::vector<float> losses;
  const std::int64_t batch_size = 5;
  for (std::int64_t start = 0; start < 10; start += batch_size) {
    auto batch = tl::slice(data, {start, 0}, {batch_size, 4});  // 10 rows: every batch has 5
    losses.push_back(predict(batch).item<float>());
  }
  const std::int64_t odd_size = 4;
  for (std::int64_t start = 0; start < 10; start += odd_size) {
    std::int64_t rows = std::min(odd_size, 10 - start);
    auto batch = tl::slice(data, {start, 0}, {rows, 4});
    losses.push_back(predict(batch).item<float>());  // WARN[trace-shape-retrace]: argument 0
  }
  std::vector<tl::tensor> batches;
  for (int i = 0; i < 3; ++i) batches.push_back(tl::random_normal({2, 4}, static_cast<std::uint64_t>(i)));
  for (const auto& batch : batches) losses.push_back(predict(batch).item<float>());
  float total = 0;
  for (float l : losses) total += l;
  return total == total ? 0 : 1;
}
