// Annotated cases for trace-shape-retrace.
#include <tl/tl.h>

#include <iterator>
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

#define BATCH_OF(n) tl::zeros({(n), 4})

template <class F>
void run_sizes(F& f) {
  for (std::int64_t n = 1; n < 5; ++n) f(tl::ones({n}));  // WARN[trace-shape-retrace]: argument 0 of 'tmpl'
}

struct Trainer {
  std::int64_t batch = 8;
  void epochs() {
    auto step = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "member_step"});
    for (int e = 0; e < 3; ++e) {
      step(tl::ones({batch, 2}));  // WARN[trace-shape-retrace]: argument 0 of 'member_step'
      batch /= 2;
    }
  }
};

void more_positives(const tl::tensor& data) {
  auto step = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "macro_step"});
  for (std::int64_t n = 1; n < 5; ++n) step(BATCH_OF(n));  // WARN[trace-shape-retrace]: argument 0 of 'macro_step'
  auto tmpl = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "tmpl"});
  run_sizes(tmpl);
  auto rnd = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "rnd"});
  std::int64_t len = 2;
  while (len < 64) {
    rnd(tl::random_normal({len}, 1));  // WARN[trace-shape-retrace]: argument 0 of 'rnd'
    len *= 2;
  }
  auto rows = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "rows"});
  for (std::int64_t r = 1; r < 4; ++r) {
    auto part = tl::slice(data, {0, 0}, {r, -1});
    auto doubled = part * 2.0;
    rows(tl::reshape(doubled, {-1}));  // WARN[trace-shape-retrace]: argument 0 of 'rows'
  }
}

void more_negatives(const tl::tensor& data) {
  auto step = tl::function([](const tl::tensor& x) { return tl::sum(x); });
  for (int i = 0; i < 5; ++i) step(tl::slice(data, {0, 0}, {2, -1}));  // constant bounds
  for (int i = 0; i < 5; ++i) step(BATCH_OF(8));
  const std::int64_t fixed = 16;
  for (int i = 0; i < 5; ++i) step(tl::ones({fixed}));
  step(tl::ones({1}));  // no loop
  step(tl::ones({2}));
}

void data_is_not_shape(const tl::tensor& data) {
  auto step = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "data_step"});
  for (int i = 0; i < 4; ++i) {
    std::vector<float> values = {static_cast<float>(i), 1.f, 2.f};
    step(tl::tensor::from_vector(values, {3}));  // new values, one shape
  }
  std::vector<std::vector<float>> rows = {{1, 2}, {3, 4}};
  for (const auto& row : rows) step(tl::tensor::from_vector(row, {std::ssize(row)}));  // a row's size: not known to vary
  for (std::int64_t start = 0; start < 8; start += 2) step(tl::slice(data, {start, 0}, {2, -1}));  // moving offset, one size
  for (std::int64_t n = 1; n < 4; ++n) {
    std::vector<float> grown(static_cast<std::size_t>(n), 1.f);
    step(tl::tensor::from_vector(grown, {n}));  // WARN[trace-shape-retrace]: argument 0 of 'data_step' changes shape from iteration to iteration (its shape uses 'n')
  }
}

// Issue 28.7: a range whose start and stop move together keeps its length, so its shape; one
// whose length follows the loop does not.
void moving_windows() {
  auto ids_sum = tl::function([](const tl::tensor& ids) { return tl::sum(ids); }, {.name = "ids_sum"});
  for (std::int64_t e = 0; e < 5; ++e) {
    ids_sum(tl::arange(10 * e, 10 * e + 10));
    ids_sum(tl::arange(e - 3, 7 + e, 2));
    ids_sum(tl::arange(0, e + 1));  // WARN[trace-shape-retrace]: its shape uses 'e'
    ids_sum(tl::arange(e, 2 * e));  // WARN[trace-shape-retrace]: its shape uses 'e'
  }
}

