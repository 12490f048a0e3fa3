// Ported from the tf.function guide, "Rules of tracing" and "Controlling retracing", and the API
// docs' input_signature and reduce_retracing: host scalars are keyed by value, tensors by dtype and
// shape. A loop that feeds new scalar values or new shapes retraces every iteration; tensors of one
// shape, an input_signature with unknown dimensions or reduce_retracing do not.
#include <tl/tl.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

int main() {
  auto scale = tl::function([](const tl::tensor& x, double factor) { return x * factor; }, {.name = "scale"});
  auto x = tl::ones({2});
  scale(x, 10.0);
  scale(x, 20.0);  // two values, two traces: by design, and not in a loop
  for (int i = 0; i < 5; ++i) scale(x, static_cast<double>(i));  // WARN[trace-scalar-retrace]: argument 1
  auto scale_t = tl::function([](const tl::tensor& t, const tl::tensor& factor) { return t * factor; }, {.name = "scale_t"});
  for (int i = 0; i < 5; ++i) scale_t(x, tl::constant(static_cast<double>(i)));
  const double fixed_factor = 3.0;
  for (int i = 0; i < 5; ++i) scale(x, fixed_factor);  // the same value every time: one trace

  auto total = tl::function([](const tl::tensor& t) { return tl::sum(t); }, {.name = "total"});
  for (std::int64_t n = 1; n <= 4; ++n) total(tl::ones({n}));  // WARN[trace-shape-retrace]: argument 0
  auto total_sig = tl::function([](const tl::tensor& t) { return tl::sum(t); },
                                {.input_signature = std::vector<tl::tensor_spec>{{{-1}, tl::dtype::float32}}});
  for (std::int64_t n = 1; n <= 4; ++n) total_sig(tl::ones({n}));
  auto total_relaxed = tl::function([](const tl::tensor& t) { return tl::sum(t); }, {.reduce_retracing = true});
  for (std::int64_t n = 1; n <= 4; ++n) total_relaxed(tl::ones({n}));

  // New data, one shape: one trace.
  for (int i = 0; i < 4; ++i) {
    std::vector<float> values = {static_cast<float>(i), static_cast<float>(i + 1), static_cast<float>(i + 2)};
    total(tl::tensor::from_vector(values, {3}));
  }
  // Rows of one length: one trace.
  std::vector<std::vector<float>> rows = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
  for (const auto& row : rows) total(tl::tensor::from_vector(row, {std::ssize(row)}));

  // Batches of 4 over 10 rows: the last batch has 2, a second shape.
  auto data = tl::ones({10, 3});
  for (std::int64_t start = 0; start < 10; start += 4) {
    std::int64_t size = std::min<std::int64_t>(4, 10 - start);
    total(tl::slice(data, {start, 0}, {size, 3}));  // WARN[trace-shape-retrace]: argument 0
  }
  // Fixed-size windows at moving offsets: one shape.
  for (std::int64_t start = 0; start + 2 <= 10; start += 2) total(tl::slice(data, {start, 0}, {2, 3}));
  return 0;
}
