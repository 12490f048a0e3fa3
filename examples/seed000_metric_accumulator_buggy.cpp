// Seed 000 ("metric updated inside tf.function"), the real bug: a host-side accumulator updated
// inside the traced step. Its host code runs once per trace, so after 5 calls it has counted 1
// batch, while the graph ran 5 times.
// Expect: batches_seen=1 calls=5
// Hazards: trace-host-mutation
#include <tl/tl.h>

#include <iostream>

int batches_seen = 0;  // host state

int main() {
  auto labels = tl::tensor::from_vector<std::int64_t>({0, 1, 1, 0}, {4});
  auto logits = tl::tensor::from_vector<float>({2, 1, 0, 3, 1, 2, 4, 0}, {4, 2});
  auto step = tl::function(
      [](const tl::tensor& y, const tl::tensor& z) {
        ++batches_seen;  // runs while tracing only
        return tl::mean(tl::cast(tl::equal(tl::argmax(z, -1), y), tl::dtype::float32));
      },
      {.name = "evaluate_batch"});
  for (int i = 0; i < 5; ++i) step(labels, logits);
  std::cout << "batches_seen=" << batches_seen << " calls=5\n";
}
