// a08_host_read: threshold logic and debugging reads written as host reads of tensors inside traced code.
// Hazards (trace-host-read, errors) x4: item() on a reduced tensor in a host if; a host if on a boolean
//   tensor (operator bool); to_vector() in a helper called with a symbolic tensor; raw_data() on a traced
//   result.
// Must stay silent: tl::where instead of a host branch; static shape, rank, dtype and defined() queries;
//   reads of a concrete tensor captured from outside; reads of returned (concrete) results; a host-read
//   helper that is only called outside traces.
#include <tl/tl.h>

#include <iostream>
#include <vector>

std::vector<float> peek(const tl::tensor& t) {
  return t.to_vector<float>();                                                     // ERROR[trace-host-read]: called from stats_bad with a symbolic tensor
}

float host_total(const tl::tensor& t) { return t.item<float>(); }                 // ok: only called on concrete tensors, outside traces

int main() {
  auto table = tl::tensor::from_vector<float>({0.5f, 1.5f, 2.5f}, {3});
  auto x = tl::fill({4}, 3.0);

  auto clip_bad = tl::function([](const tl::tensor& t) {
    if (tl::sum(t).item<float>() > 10.f) return t * 0.5;                           // ERROR[trace-host-read]: item() on a symbolic sum
    return t;
  }, {.name = "clip_bad"});
  auto gate_bad = tl::function([](const tl::tensor& t) {
    const auto positive = tl::greater(tl::sum(t), tl::constant(0.0));
    if (positive) return tl::relu(t);                                               // ERROR[trace-host-read]: host branch on a symbolic bool tensor
    return tl::neg(t);
  }, {.name = "gate_bad"});
  auto stats_bad = tl::function([](const tl::tensor& t) {
    auto m = tl::mean(t);
    const auto host = peek(m);
    return t - static_cast<double>(host.at(0));
  }, {.name = "stats_bad"});
  auto raw_bad = tl::function([](const tl::tensor& t) {
    auto y = tl::exp(t);
    const void* p = y.raw_data();                                                   // ERROR[trace-host-read]: raw data of a symbolic tensor
    return p != nullptr ? y : tl::neg(t);
  }, {.name = "raw_bad"});

  auto clip_good = tl::function([](const tl::tensor& t) {
    return tl::where(tl::greater(tl::sum(t), tl::constant(10.0)), t * 0.5, t);      // ok: selection stays in the graph
  }, {.name = "clip_good"});
  auto shaped = tl::function([&table](const tl::tensor& t) {
    if (t.shape()[0] > 2 && t.rank() == 1 && t.dtype() == tl::dtype::float32 && t.defined()) {  // ok: static properties, known while tracing
      return t * static_cast<double>(table.to_vector<float>()[1]);                 // ok: concrete tensor captured from outside
    }
    return tl::neg(t);
  }, {.name = "shaped"});

  for (int i = 0; i < 3; ++i) {
    auto a = clip_bad(x);
    auto b = gate_bad(x);
    auto c = stats_bad(x);
    auto d = raw_bad(x);
    auto e = clip_good(x);
    auto f = shaped(x);
    std::cout << host_total(tl::sum(e)) << " " << f.to_vector<float>().size() << "\n";  // ok: reads of concrete results outside traces
    (void)a; (void)b; (void)c; (void)d;
  }
  return 0;
}
