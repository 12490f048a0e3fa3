// a02_lr_schedule_stale: seed 002's manual SGD with a host learning-rate schedule. Hyperparameters live in
// a host double, a captured schedule struct and a captured (non-variable) weight tensor; a variable-based
// rate is the "fix".
// Hazards:
//   trace-stale-capture x3: lr halved after grad_step baked it; sched.lr changed after mom_step baked it;
//     captured tensor w rebound after grad_step traced it (tensor variant).
//   trace-update-outside x1 (a note; annotated WARN, see README): the variable-based rate assigned in the
//     loop that calls var_step.
// Must stay silent: a write before the first call; lr passed as a tensor argument; loop-local variables;
//   a struct member no trace reads; a write on a path that returns (no later call); a write after the
//   last call; tensor arguments that change value but not shape.
#include <tl/tl.h>

#include <iostream>

struct Schedule {
  double lr = 0.1;
  double momentum = 0.9;
  int warmup = 2;
};

int main() {
  auto x = tl::fill({4, 2}, 1.0);
  tl::tensor w = tl::fill({2, 1}, 0.5);
  double lr = 0.1;
  double l2 = 1e-3;
  Schedule sched;
  tl::variable lr_var(tl::constant(0.1), "lr");
  lr = 0.2;                                                           // ok: written before the first call
  auto grad_step = tl::function([&](const tl::tensor& grad) { return w - grad * lr - w * l2; }, {.name = "grad_step"});
  auto mom_step = tl::function([&](const tl::tensor& vel, const tl::tensor& grad) { return vel * sched.momentum + grad * sched.lr; },
                               {.name = "mom_step"});
  auto scaled = tl::function([](const tl::tensor& grad, const tl::tensor& rate) { return grad * rate; }, {.name = "scaled"});
  auto var_step = tl::function([&](const tl::tensor& grad) { return grad * lr_var.value(); }, {.name = "var_step"});

  auto v = tl::zeros({2, 1});
  for (int epoch = 0; epoch < 6; ++epoch) {
    auto g = tl::matmul(x, tl::matmul(x, w), /*transpose_a=*/true);
    auto w_next = grad_step(g);
    v = mom_step(v, g);                                               // ok: v is an argument, same shape every call
    auto s = scaled(g, tl::constant(lr));                             // ok: lr passed as a tensor argument
    var_step(g);
    double warm = epoch < sched.warmup ? 0.1 : 1.0;                   // ok: loop-local, no trace reads it
    warm *= 2.0;                                                      // ok: loop-local variable
    --sched.warmup;                                                   // ok: member no trace reads (mom_step reads lr and momentum)
    lr *= 0.5;                                                        // WARN[trace-stale-capture]: grad_step baked lr into its graph
    sched.lr = lr;                                                    // WARN[trace-stale-capture]: mom_step baked sched.lr into its graph
    lr_var.assign(tl::constant(lr));                                  // WARN[trace-update-outside]: var_step reads lr_var; assigned op by op in the calling loop
    w = w_next;                                                       // WARN[trace-stale-capture]: tensor w rebound after grad_step traced it
    if (tl::sum(s).item<float>() < -1e9f) {
      l2 = 0.0;                                                       // ok: this path returns, no later call
      return 1;
    }
    (void)warm;
  }
  l2 = 0.0;                                                           // ok: after the last call
  std::cout << "done " << lr << " " << l2 << "\n";
  return 0;
}
