// Annotated cases for trace-update-outside (severity note).
#include <tl/tl.h>

void positives() {
  tl::variable w(tl::ones({2}));
  tl::variable b(tl::zeros({2}));
  tl::optimizers::sgd opt(0.1);
  tl::metrics::mean loss_mean;
  auto step = tl::function([&](const tl::tensor& x) {
    tl::gradient_tape tape;
    auto loss = tl::sum(x * w + b);
    loss_mean.update_state(loss);
    return tape.gradient(loss, std::vector<tl::variable>{w, b});
  });
  for (int i = 0; i < 10; ++i) {
    auto g = step(tl::ones({2}));
    w.assign_sub(g[0] * 0.1);  // NOTE[trace-update-outside]: 'w', which 'step' reads, is updated here by 'assign_sub'
    opt.apply_gradients({g[1]}, {b});  // NOTE[trace-update-outside]: 'b', which 'step' reads, is updated here by 'apply_gradients'
    loss_mean.reset_state();  // NOTE[trace-update-outside]: 'loss_mean', which 'step' reads, is updated here by 'reset_state'
  }
  int n = 0;
  while (n++ < 3) {
    step(tl::ones({2}));
    b.assign(tl::zeros({2}));  // NOTE[trace-update-outside]: 'b', which 'step' reads
  }
}

void negatives() {
  tl::variable w(tl::ones({2}));
  tl::variable other(tl::ones({2}));
  auto step = tl::function([&](const tl::tensor& x) {
    w.assign_sub(x * 0.1);  // the update inside the traced function: what the rule asks for
    return w.value();
  });
  w.assign(tl::ones({2}));  // before the loop: a one-off initialization
  for (int i = 0; i < 10; ++i) {
    step(tl::ones({2}));
    other.assign_add(tl::ones({2}));  // 'step' does not read it
  }
  w.assign(tl::zeros({2}));  // after the loop
}
