// a18_layers_member_init: layer objects whose variables are default member initializers, built inside a
// traced forward pass; a metric type derived from tl::metrics::mean; a tap object that records
// activations through a member function.
// Hazards:
//   trace-variable-creation x2: Bias's default member initializer, run by an unguarded 'Bias bias;' in the
//     trace (annotated at the initializer: the page lists "constructors of objects it creates, including
//     default member initializers"); a derived metric constructed in the trace.
//   trace-tensor-leak x1 + trace-host-mutation x1: Tap::record stores a symbolic tensor into a member of a
//     captured object (reported where the store happens).
// Must stay silent: Scale's initializer (Scale is constructed only in a create-once branch); a derived
//   metric created once through a unique_ptr guard; a metric created outside; update_state calls.
#include <tl/tl.h>

#include <iostream>
#include <memory>
#include <optional>

struct Bias {
  tl::variable b{tl::zeros({2}), "bias"};                                           // WARN[trace-variable-creation]: runs whenever the trace constructs a Bias (unguarded)
  tl::tensor operator()(const tl::tensor& x) const { return x + b; }
};

struct Scale {
  tl::variable s{tl::fill({2}, 2.0), "scale"};                                      // ok: Scale is constructed only in a create-once branch
  tl::tensor operator()(const tl::tensor& x) const { return x * s; }
};

struct running_mean : tl::metrics::mean {
  tl::tensor doubled() const { return result() * 2.0; }
};

struct Tap {
  tl::tensor seen;
  void record(const tl::tensor& t) { seen = t; }                                    // ERROR[trace-tensor-leak]: symbolic tensor stored into a captured Tap // WARN[trace-host-mutation]: member of a captured object written once per trace
};

int main() {
  std::optional<Scale> scale;
  std::unique_ptr<running_mean> tracked;
  running_mean outside;                                                             // ok: created outside traces
  Tap tap;
  auto forward = tl::function([&](const tl::tensor& x) {
    Bias bias;
    if (!scale) scale.emplace();                                                    // ok: create-once guard
    if (!tracked) tracked = std::make_unique<running_mean>();                       // ok: create-once guard for a derived metric
    running_mean per_call;                                                          // WARN[trace-variable-creation]: derived metric made on every trace
    auto h = (*scale)(bias(x));
    per_call.update_state(h);
    tracked->update_state(h);                                                       // ok: metric update in the graph
    outside.update_state(h);                                                        // ok: metric created outside
    tap.record(tl::relu(h));
    return h + per_call.doubled() + tracked->result();
  }, {.name = "forward"});

  auto x = tl::ones({2});
  for (int i = 0; i < 3; ++i) std::cout << forward(x) << "\n";
  return 0;
}
