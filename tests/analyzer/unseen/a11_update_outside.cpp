// a11_update_outside: seed 002's "fixed" loop: a traced function returns gradients and the host applies
// them to the variables between calls (correct under tf.function semantics, but op by op).
// Hazards (trace-update-outside, notes; annotated WARN, see README) x2: w.assign_sub in the calling loop;
//   opt.apply_gradients on b in the calling loop.
// Must stay silent: initialization before the loop; a reset after the loop; a counter variable no traced
//   function reads; a fused step that updates inside the trace with its own optimizer; host I/O after
//   the loop.
#include <tl/tl.h>

#include <iostream>
#include <vector>

int main() {
  tl::variable w(tl::zeros({3, 1}), "w");
  tl::variable b(tl::zeros({1}), "b");
  tl::variable w2(tl::zeros({3, 1}), "w2");
  tl::variable seen(tl::constant(0.0), "seen");
  tl::optimizers::sgd opt(0.1);
  tl::optimizers::sgd opt_fused(0.1);
  auto x = tl::random_normal({8, 3}, 3);
  auto y = tl::random_normal({8, 1}, 4);

  auto grads_fn = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::square(tl::matmul(xb, w) + b - yb));
    return tape.gradient(loss, std::vector<tl::variable>{w, b});
  }, {.name = "grads_fn"});
  auto fused = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::square(tl::matmul(xb, w2) - yb));
    auto grads = tape.gradient(loss, std::vector<tl::variable>{w2});
    opt_fused.apply_gradients(grads, {w2});                                         // ok: update inside the trace
    return loss;
  }, {.name = "fused"});

  w.assign(tl::fill({3, 1}, 0.1));                                                  // ok: initialization before the loop
  for (int step = 0; step < 5; ++step) {
    auto g = grads_fn(x, y);
    w.assign_sub(g[0] * 0.1);                                                       // WARN[trace-update-outside]: grads_fn reads w; updated op by op in the calling loop
    opt.apply_gradients({g[1]}, {b});                                               // WARN[trace-update-outside]: grads_fn reads b; updated op by op in the calling loop
    seen.assign_add(tl::constant(1.0));                                             // ok: no traced function reads 'seen'
    fused(x, y);                                                                    // ok: this step updates inside its trace
  }
  b.assign(tl::zeros({1}));                                                         // ok: after the loop
  std::cout << w.value() << " " << seen.value() << "\n";                            // ok: host I/O after the loop
  return 0;
}
