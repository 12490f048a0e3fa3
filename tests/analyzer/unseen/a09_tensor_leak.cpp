// a09_tensor_leak: debugging code that keeps intermediate activations of a traced forward pass for later
// inspection: a captured vector, a global tensor, and a helper that stashes into the vector it is given.
// Hazards:
//   trace-tensor-leak (errors) x3: push_back into a captured vector; assignment to a global tensor; a
//     helper pushing into the captured vector the trace passes it.
//   trace-host-mutation x3: the same three stores are host writes made once per trace.
// Must stay silent: a local vector; a nested lambda pushing into a trace local; an Accumulator object
//   local to the trace; variable.assign; a vector of variables filled in a create-once guard; front()
//   accessor; the tensor returned instead of stored.
#include <tl/tl.h>

#include <iostream>
#include <vector>

tl::tensor g_last_logits;

void stash(std::vector<tl::tensor>& out, const tl::tensor& t) {
  out.push_back(t);                                                                 // ERROR[trace-tensor-leak]: forward passes its captured 'spill' // WARN[trace-host-mutation]: write through the reference parameter to captured 'spill'
}

struct Accumulator {
  std::vector<tl::tensor> parts;
  void add(const tl::tensor& t) { parts.push_back(t); }                             // ok: only called on an Accumulator local to the trace
  tl::tensor total() const { return tl::sum(tl::concat(parts, 0)); }
};

int main() {
  std::vector<tl::tensor> activations;
  std::vector<tl::tensor> spill;
  std::vector<tl::variable> slots;
  tl::variable last_mean(tl::zeros({}), "last_mean");

  auto forward = tl::function([&](const tl::tensor& x) {
    auto h = tl::relu(x);
    activations.push_back(h);                                                       // ERROR[trace-tensor-leak]: symbolic h kept in a captured vector // WARN[trace-host-mutation]: captured vector grows once per trace
    g_last_logits = h * 2.0;                                                        // ERROR[trace-tensor-leak]: symbolic tensor stored in a global // WARN[trace-host-mutation]: global written once per trace
    stash(spill, h);
    std::vector<tl::tensor> local_parts;                                            // ok: a local of the trace
    auto keep = [&local_parts](const tl::tensor& t) { local_parts.push_back(t); };  // ok: nested lambda writes a trace local
    keep(h);
    Accumulator acc;                                                                // ok: object local to the trace
    acc.add(h);
    acc.add(tl::square(h));
    last_mean.assign(tl::mean(h));                                                  // ok: variable assignment is a graph op
    if (slots.empty()) slots.emplace_back(tl::zeros({4}));                          // ok: vector of variables filled in a create-once guard
    slots.front().assign_add(h);                                                    // ok: accessor, then a variable update
    return acc.total() + tl::sum(local_parts.front());                              // ok: returned, not stored
  }, {.name = "forward"});

  auto x = tl::fill({4}, -1.0);
  for (int i = 0; i < 3; ++i) {
    auto y = forward(x);
    std::cout << y << "\n";                                                         // ok: returned tensor used outside the trace
  }
  std::cout << last_mean.value() << "\n";
  return 0;
}
