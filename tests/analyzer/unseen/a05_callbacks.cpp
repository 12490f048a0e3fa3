// a05_callbacks: a forward pass built from a helper that takes an activation callback (std::function); the
// traced bodies are lambdas kept in variables and traced later; logging hooks inside and outside traces.
// Hazards:
//   trace-host-io x2: a std::cout chain in the stored forward body; a tensor inserted into std::cout in
//     the stored hooked body.
//   trace-host-mutation x1: a global trace-line counter bumped in the stored forward body.
// Must stay silent: a pure-op activation callback through std::function; an ostringstream that never
//   reaches output; a nested lambda pushing into a trace local; tl::print; a logging lambda called only
//   eagerly; host I/O on returned concrete tensors.
// Known limit (marked limit[...]): a std::function logging hook called from a trace; the call goes through
//   std::function, which the pages say is not resolved (function pointers) for helpers.
#include <tl/tl.h>

#include <functional>
#include <iostream>
#include <sstream>
#include <vector>

using activation = std::function<tl::tensor(const tl::tensor&)>;

int traced_lines = 0;

tl::tensor dense(const tl::tensor& x, const tl::variable& w, const activation& act) {
  return act(tl::matmul(x, w));                                                     // ok: callback of pure tl ops
}

int main() {
  tl::variable w(tl::fill({3, 2}, 0.1), "w");
  activation act = [](const tl::tensor& t) { return tl::relu(t); };                // ok: pure-op activation
  auto log_eager = [](const tl::tensor& t) { std::cout << "eager " << t << "\n"; };  // ok: only called outside traces
  std::function<void(const tl::tensor&)> hook = [](const tl::tensor& t) { std::cout << "hook " << t << "\n"; };  // limit[trace-host-io]: called from 'hooked' through std::function

  auto body = [&](const tl::tensor& x) {
    auto h = dense(x, w, act);
    std::ostringstream label;
    label << "h" << h.rank();                                                       // ok: string stream never reaches output
    std::cout << "tracing forward, " << label.str() << "\n";                        // WARN[trace-host-io]: prints once per trace, not per call
    ++traced_lines;                                                                 // WARN[trace-host-mutation]: global counts traces, not calls
    std::vector<tl::tensor> parts;
    auto keep = [&parts](const tl::tensor& t) { parts.push_back(t); };              // ok: nested lambda writes a trace local
    keep(h);
    keep(tl::square(h));
    return tl::print(tl::concat(parts, 0), label.str());                            // ok: graph print on every call
  };
  auto with_hook = [&](const tl::tensor& x) {
    auto y = tl::sigmoid(x);
    hook(y);
    std::cout << y;                                                                 // WARN[trace-host-io]: symbolic tensor printed at trace time only
    return y;
  };

  auto forward = tl::function(body, {.name = "forward"});
  auto hooked = tl::function(with_hook, {.name = "hooked"});
  auto x = tl::ones({2, 3});
  log_eager(x);                                                                     // ok: eager call
  for (int i = 0; i < 3; ++i) {
    auto y = forward(x);
    auto z = hooked(x);
    std::cout << "step " << i << " " << y << " " << z << "\n";                      // ok: host I/O on concrete outputs
  }
  return traced_lines > 100 ? 1 : 0;
}
