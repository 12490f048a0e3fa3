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
    tl::tensor snapshot = w;  // a conversion operator call: a read, not an update (found by fuzz_source)
    (void)snapshot;
  }
  w.assign(tl::zeros({2}));  // after the loop
}

#define STEP_DOWN(v) (v).assign_sub(tl::fill({2}, 0.1))

struct Model {
  tl::variable w{tl::ones({2})};
};

tl::variable g_w(tl::ones({2}));

template <class F>
void train(F& step) {
  for (int i = 0; i < 3; ++i) {
    step(tl::ones({2}));
    g_w.assign_add(tl::fill({2}, 0.1));  // NOTE[trace-update-outside]: 'g_w', which 'tmpl' reads
  }
}

void more_positives() {
  tl::variable w(tl::ones({2}));
  tl::metrics::sum total;
  tl::optimizers::adam opt(0.01);
  auto step = tl::function([&](const tl::tensor& x) {
    total.update_state(x);
    return x * w;
  }, {.name = "more"});
  for (int i = 0; i < 3; ++i) {
    step(tl::ones({2}));
    STEP_DOWN(w);  // NOTE[trace-update-outside]: 'w', which 'more' reads, is updated here by 'assign_sub'
    total.update_state(tl::ones({2}));  // NOTE[trace-update-outside]: 'total', which 'more' reads
    opt.apply_gradients({tl::ones({2})}, {w});  // NOTE[trace-update-outside]: 'w', which 'more' reads, is updated here by 'apply_gradients'
  }
  auto tmpl = tl::function([](const tl::tensor& x) { return x * g_w; }, {.name = "tmpl"});
  train(tmpl);
}

void more_negatives() {
  tl::variable w(tl::ones({2}));
  tl::metrics::mean m;
  auto step = tl::function([&](const tl::tensor& x) { return x * w; });
  for (int i = 0; i < 3; ++i) step(tl::ones({2}));
  m.update_state(tl::ones({1}));  // not read by 'step', and not in its loop
  for (int i = 0; i < 3; ++i) m.reset_state();  // a loop without calls of 'step'
  Model model;
  model.w.assign(tl::zeros({2}));
  for (int i = 0; i < 3; ++i) {
    step(tl::ones({2}));
    auto current = w.value();  // a read, not an update
    (void)current;
  }
}
