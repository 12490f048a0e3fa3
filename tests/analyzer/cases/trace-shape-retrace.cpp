// Annotated cases for trace-shape-retrace.
#include <tl/tl.h>

#include <vector>

void positives(const tl::tensor& data, std::int64_t n) {
  auto step = tl::function([](const tl::tensor& x) { return tl::sum(x); });
  for (std::int64_t batch = 1; batch < 10; ++batch) {
    step(tl::ones({batch, 4}));  // WARN[trace-shape-retrace]: argument 0 of 'step' changes shape from iteration to iteration (its shape uses 'batch')
  }
  for (std::int64_t start = 0; start < n; start += 32) {
    std::int64_t size = std::min<std::int64_t>(32, n - start);  // the ragged last batch
    auto x = tl::slice(data, {start, 0}, {size, -1});
    step(x);  // WARN[trace-shape-retrace]: argument 0 of 'step'
  }
  auto two = tl::function([](const tl::tensor& a, const tl::tensor& b) { return a + b; }, {.name = "two"});
  for (std::int64_t len : {3, 5, 7}) {
    two(tl::zeros({4}), tl::reshape(tl::arange(0, len * 2, 1, tl::dtype::float32), {len, 2}));  // WARN[trace-shape-retrace]: argument 1 of 'two'
  }
}

void negatives(const tl::tensor& data) {
  auto sig = tl::function([](const tl::tensor& x) { return tl::sum(x); },
                          {.input_signature = std::vector<tl::tensor_spec>{{{-1, 4}, tl::dtype::float32}}});
  auto relaxed = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.reduce_retracing = true});
  auto plain = tl::function([](const tl::tensor& x) { return tl::sum(x); });
  for (std::int64_t batch = 1; batch < 10; ++batch) {
    sig(tl::ones({batch, 4}));
    relaxed(tl::ones({batch, 4}));
    plain(tl::ones({8, 4}));  // a fixed shape in the loop
    plain(data);              // a tensor from outside the loop
    (void)batch;
  }
}
