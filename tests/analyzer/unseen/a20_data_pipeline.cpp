// a20_data_pipeline: a token pipeline: id windows, one-hot encoding with a growing depth, per-row sums, a
// normalizer object passed by reference and vocabulary weights captured in a vector.
// Hazards:
//   trace-shape-retrace x1: the one_hot depth grows with the epoch.
//   trace-scalar-retrace x1: the epoch passed as a host int.
//   trace-stale-capture x2: norm.mean changed after normalize baked it (passed by reference); an element
//     of the captured vocabulary weights overwritten after lookup traced it.
//   trace-host-read (error) x1: to_vector() on the symbolic id tensor inside lookup.
// Must stay silent: arange(10*e, 10*e+10) windows (constant length); rows sized from the container, all of
//   length 3; a concrete vocabulary tensor read inside a trace; the epoch passed as a tensor; a write
//   after the last call.
#include <tl/tl.h>

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <iterator>
#include <vector>

struct Normalizer {
  double mean = 0.0;
  double stddev = 1.0;
};

int main() {
  const std::vector<std::vector<float>> rows = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
  std::vector<float> vocab_weights(64, 1.0f);
  const auto vocab = tl::tensor::from_vector<float>(std::vector<float>(64, 0.5f), {64});
  Normalizer norm;

  auto row_sum = tl::function([](const tl::tensor& r) { return tl::sum(r); }, {.name = "row_sum"});
  auto encode = tl::function([](const tl::tensor& ids) { return tl::sum(tl::cast(ids, tl::dtype::float32)); }, {.name = "encode"});
  auto hist = tl::function([](const tl::tensor& onehot) { return tl::sum(onehot, {0}); }, {.name = "hist"});
  auto normalize = tl::function([](const tl::tensor& x, const Normalizer& n) { return (x - n.mean) / n.stddev; }, {.name = "normalize"});
  auto lookup = tl::function([&vocab_weights, &vocab](const tl::tensor& ids) {
    const auto host_ids = ids.to_vector<std::int64_t>();                            // ERROR[trace-host-read]: ids is symbolic while tracing
    const float base = vocab.to_vector<float>().front();                           // ok: concrete tensor captured from outside
    const double wgt = vocab_weights.front() + base + static_cast<double>(host_ids.size());
    return tl::cast(ids, tl::dtype::float32) * wgt;
  }, {.name = "lookup"});
  auto buckets = tl::function([](const tl::tensor& x, int n) { return x * static_cast<double>(n); }, {.name = "buckets"});
  auto buckets_t = tl::function([](const tl::tensor& x, const tl::tensor& n) { return x * n; }, {.name = "buckets_t"});

  for (const auto& row : rows) row_sum(tl::tensor::from_vector<float>(row, {std::ssize(row)}));  // ok: size read from the container; all rows have length 3
  auto x = tl::fill({4}, 2.0);
  for (std::int64_t e = 0; e < 4; ++e) {
    auto ids = tl::arange(10 * e, 10 * e + 10);
    encode(ids);                                                                    // ok: window of constant length 10
    lookup(ids);                                                                    // ok: same constant-length window
    hist(tl::one_hot(tl::arange(0, 4), e + 2));                                     // WARN[trace-shape-retrace]: one_hot depth e+2 grows every epoch
    buckets(x, static_cast<int>(e));                                                // WARN[trace-scalar-retrace]: epoch passed as a host int
    buckets_t(x, tl::constant(static_cast<double>(e)));                             // ok: epoch passed as a tensor
    normalize(x, norm);
    norm.mean += 0.1;                                                               // WARN[trace-stale-capture]: normalize baked norm's members (passed by reference)
    vocab_weights[0] = 0.5f * static_cast<float>(e);                                // WARN[trace-stale-capture]: lookup read the captured vector while tracing
  }
  norm.stddev = 2.0;                                                                // ok: after the last call
  std::cout << row_sum.tracing_count() << " " << norm.stddev << "\n";
  return 0;
}
