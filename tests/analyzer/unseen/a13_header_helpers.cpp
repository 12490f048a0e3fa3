// a13_header_helpers: a traced forward pass that calls small helpers from a local header (a13_helpers.h):
// a dense layer, a description formatter, a trace logger, a layer registry and a wall-clock helper.
// Hazards (all reported inside a13_helpers.h, on the helper's line, reached from the traced lambda kept in
//   'forward_body'):
//   trace-host-io x1: printf in trace_log.
//   trace-host-mutation x2: a global layer counter and a global scale list in note_layer.
//   trace-host-random x1: a system_clock read in wall_seconds.
// Must stay silent: a pure-op helper; an ostringstream formatter; a container accessor read; a pure
//   scaling helper; a second traced function that uses only those helpers and tl::print; a varying factor
//   passed as a tensor; helpers called eagerly (trace_log before the loop, print_summary); host I/O in
//   main outside the traces.
#include "a13_helpers.h"

#include <iostream>
#include <string>
#include <vector>

int main() {
  tl::variable w(tl::fill({3, 2}, 0.1), "w");
  const std::vector<double> scales = {0.5, 2.0, 4.0};
  auto forward_body = [&](const tl::tensor& x) {
    auto h = a13::dense(x, w);
    a13::trace_log(a13::describe(h));
    a13::note_layer(a13::lookup(scales, 1));
    const double stamp = a13::wall_seconds();
    return a13::scaled(h, a13::lookup(scales, 0)) + stamp * 0.0;
  };
  auto forward = tl::function(forward_body, {.name = "forward"});

  // A second traced function that uses only the side-effect-free helpers.
  auto evaluate = tl::function(
      [&](const tl::tensor& x, const tl::tensor& factor) {
        const std::string tag = a13::describe(x);                                   // ok: formatting without output
        auto h = a13::scaled(a13::dense(x, w), a13::lookup(scales, 2));             // ok: pure helpers
        return tl::print(h * factor, tag);                                          // ok: graph print
      },
      {.name = "evaluate"});

  auto x = tl::ones({2, 3});
  a13::trace_log("starting");                                                       // ok: eager call, outside any trace
  for (int i = 0; i < 3; ++i) {
    std::cout << forward(x) << "\n";                                                // ok: host I/O on concrete outputs, outside the trace
    std::cout << evaluate(x, tl::constant(1.0 + i)) << "\n";                        // ok: varying factor passed as a tensor
  }
  a13::print_summary();                                                             // ok: eager helper call
  return 0;
}
