// Imitates Keras LearningRateScheduler/StepDecay + EarlyStopping callbacks driving a custom loop.
// Hazards: trace-stale-capture x2, both in u02_helpers.h (optimizer learning_rate decayed after tracing; EarlyStopping::best read by the trace).
// Must stay silent: cosine lr passed to the traced step as a tensor, host-side early-stopping logic on concrete outputs, plain sgd applied inside the trace, EarlyStopping::wait and the epochs count used only on the host.
#include <tl/tl.h>

#include <iostream>
#include <vector>

#include "u02_helpers.h"

int main() {
  auto x = tl::stateless_normal({8, 4}, 21);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 1, 2, 2, 1, 0, 1, 2}, {8});
  auto xv = tl::stateless_normal({4, 4}, 22);
  auto yv = tl::tensor::from_vector<std::int64_t>({1, 0, 2, 1}, {4});

  tl::variable w(tl::zeros({4, 3}), "w"), b(tl::zeros({3}), "b");
  tl::variable w2(tl::zeros({4, 3}), "w2"), b2(tl::zeros({3}), "b2");
  tl::optimizers::sgd opt(0.5);
  StepDecay sched{opt, 2, 0.5};
  EarlyStopping stopper{3};
  const int epochs = 6;

  auto train_decay = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, w) + b.value(), yb));
    std::vector<tl::variable> vars{w, b};
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    return loss;
  }, {.name = "train_decay"});

  // Correct: the learning rate is an input tensor, so every call uses the current value.
  auto train_cosine = tl::function([&](const tl::tensor& xb, const tl::tensor& yb, const tl::tensor& lr) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, w2) + b2.value(), yb));
    std::vector<tl::variable> vars{w2, b2};
    auto grads = tape.gradient(loss, vars);
    for (std::size_t i = 0; i < vars.size(); ++i) vars[i].assign_sub(grads[i] * lr);
    return loss;
  }, {.name = "train_cosine"});

  // Reports the validation loss and its improvement over the best seen so far.
  auto validate = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, w) + b.value(), yb));
    return std::make_pair(loss, tl::constant(stopper.best) - loss);
  }, {.name = "validate"});

  for (int epoch = 0; epoch < epochs; ++epoch) {
    const double lr2 = cosine_lr(0.5, epoch, epochs);
    const float l1 = train_decay(x, y).item<float>();
    const float l2 = train_cosine(x, y, tl::constant(lr2)).item<float>();
    auto [val, gain] = validate(xv, yv);
    const float v = val.item<float>();
    std::cout << "epoch " << epoch << " decay-loss " << l1 << " cosine-loss " << l2 << " val " << v
              << " gain " << gain.item<float>() << "\n";
    sched.on_epoch_end(epoch);
    if (stopper.should_stop(v)) {
      std::cout << "early stop at epoch " << epoch << "\n";
      break;
    }
  }
  std::cout << "final lr " << opt.learning_rate << " best val " << stopper.best << "\n";
  return 0;
}
