// a03_ragged_batches: a minibatch loop over a dataset whose size is not a multiple of the batch, plus id
// windows and growing buffers fed to traced reductions.
// Hazards (trace-shape-retrace x4): the ragged last batch from std::min; an arange whose length grows with
//   the epoch; a two-argument call where both shapes vary (one finding, about the first varying
//   argument); a width the loop doubles.
// Must stay silent: input_signature with -1; reduce_retracing; a fixed-size window at a moving offset;
//   arange(10*e, 10*e+10) (constant length 10); data varying in a fixed shape; a shape fixed in the loop;
//   a tensor from outside the loop; rows of equal length sized from the container.
#include <tl/tl.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

int main() {
  const std::int64_t n = 70;
  const std::int64_t batch = 32;
  const std::int64_t features = 4;
  std::vector<float> raw(static_cast<std::size_t>(n * features), 1.0f);
  auto data = tl::tensor::from_vector<float>(raw, {n, features});
  const std::vector<tl::tensor_spec> sig = {{{-1, 4}, tl::dtype::float32}};

  auto loss = tl::function([](const tl::tensor& x) { return tl::mean(tl::square(x)); }, {.name = "loss"});
  auto loss_sig = tl::function([](const tl::tensor& x) { return tl::mean(x); }, {.name = "loss_sig", .input_signature = sig});
  auto loss_rr = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "loss_rr", .reduce_retracing = true});
  auto peak = tl::function([](const tl::tensor& x) { return tl::max(x); }, {.name = "peak"});
  auto pair = tl::function([](const tl::tensor& a, const tl::tensor& b) { return tl::sum(a) + tl::sum(b); }, {.name = "pair"});

  for (std::int64_t start = 0; start < n; start += batch) {
    const std::int64_t rows = std::min(batch, n - start);
    auto x = tl::slice(data, {start, 0}, {rows, -1});
    loss(x);                                                          // WARN[trace-shape-retrace]: ragged last batch ('rows')
    loss_sig(x);                                                      // ok: input_signature with an unknown batch dimension
    loss_rr(x);                                                       // ok: reduce_retracing
    peak(tl::slice(data, {start, 0}, {2, -1}));                       // ok: fixed-size window at a moving offset
    peak(tl::ones({batch, features}));                                // ok: shape fixed in the loop
    peak(data);                                                       // ok: tensor from outside the loop
  }

  auto ids_sum = tl::function([](const tl::tensor& ids) { return tl::sum(tl::cast(ids, tl::dtype::float32)); }, {.name = "ids_sum"});
  std::int64_t width = 1;
  for (std::int64_t e = 0; e < 5; ++e) {
    ids_sum(tl::arange(10 * e, 10 * e + 10));                         // ok: window of constant length 10
    ids_sum(tl::arange(0, e + 1));                                    // WARN[trace-shape-retrace]: length e+1 grows every epoch
    auto vals = tl::tensor::from_vector<float>({static_cast<float>(e), 1.f, 2.f}, {3});
    peak(vals);                                                       // ok: values vary, shape {3} is fixed
    pair(tl::ones({e + 1}), tl::zeros({e + 2}));                      // WARN[trace-shape-retrace]: both shapes vary; one finding for the first
    peak(tl::zeros({width, 2}));                                      // WARN[trace-shape-retrace]: 'width' is doubled by the loop
    width *= 2;
  }

  const std::vector<std::vector<float>> table = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
  for (const auto& row : table) {
    peak(tl::tensor::from_vector<float>(row, {std::ssize(row)}));    // ok: size read from the container; every row has length 3
  }
  return 0;
}
