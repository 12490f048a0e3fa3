// a12_optimizer_hparams: learning-rate decay written as host code: inside the traced step (so it runs once
// per trace) and on an optimizer object between calls (after the graph baked the old rate). In tl,
// sgd/adam hyperparameters are plain doubles ("host values: read while tracing and baked into the graph").
// Hazards:
//   trace-host-mutation x2: opt.learning_rate decayed inside the traced step; a captured hyperparameter
//     struct's lr decayed inside another traced step.
//   trace-stale-capture x1: adam.learning_rate changed in the loop after step_adam baked it.
// Must stay silent: apply_gradients inside traces; reading a hyperparameter inside the trace; the rate
//   passed as a tensor argument; a loop-local rate; writing an optimizer no traced function uses.
#include <tl/tl.h>

#include <cmath>
#include <iostream>
#include <vector>

struct Hparams {
  double lr = 0.05;
  double decay = 0.9;
};

int main() {
  tl::variable w(tl::fill({3, 1}, 0.2), "w");
  tl::variable w2(tl::fill({3, 1}, 0.2), "w2");
  tl::variable w3(tl::fill({3, 1}, 0.2), "w3");
  tl::variable w4(tl::fill({3, 1}, 0.2), "w4");
  tl::optimizers::sgd opt(0.05, 0.9);
  tl::optimizers::adam adam(0.01);
  tl::optimizers::sgd spare(0.1);
  Hparams hp;
  auto x = tl::fill({4, 3}, 1.0);

  auto step_bad = tl::function([&](const tl::tensor& xb) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::square(tl::matmul(xb, w)));
    auto grads = tape.gradient(loss, std::vector<tl::variable>{w});
    opt.learning_rate = opt.learning_rate * hp.decay;                               // WARN[trace-host-mutation]: the optimizer's host learning rate decays once per trace
    opt.apply_gradients(grads, {w});                                                // ok: optimizer update inside the trace
    return loss;
  }, {.name = "step_bad"});
  auto step_hp = tl::function([&](const tl::tensor& xb) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::square(tl::matmul(xb, w2)));
    auto grads = tape.gradient(loss, std::vector<tl::variable>{w2});
    hp.lr *= hp.decay;                                                              // WARN[trace-host-mutation]: captured struct member decays once per trace
    w2.assign_sub(grads[0] * hp.lr);                                                // ok: variable update; hp.lr read as a constant
    return loss;
  }, {.name = "step_hp"});
  auto step_good = tl::function([&](const tl::tensor& xb, const tl::tensor& rate) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::square(tl::matmul(xb, w3)));
    auto grads = tape.gradient(loss, std::vector<tl::variable>{w3});
    w3.assign_sub(grads[0] * rate);                                                 // ok: rate is a tensor argument
    return loss;
  }, {.name = "step_good"});
  auto step_adam = tl::function([&](const tl::tensor& xb) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::square(tl::matmul(xb, w4)));
    adam.apply_gradients(tape.gradient(loss, std::vector<tl::variable>{w4}), {w4});  // ok: update inside the trace
    return loss;
  }, {.name = "step_adam"});

  for (int epoch = 0; epoch < 5; ++epoch) {
    step_bad(x);
    step_hp(x);
    const double rate = 0.05 * std::pow(0.9, epoch);                                // ok: loop-local rate
    step_good(x, tl::constant(rate));                                               // ok: passed as a tensor
    step_adam(x);
    adam.learning_rate = 0.01 / (1.0 + epoch);                                      // WARN[trace-stale-capture]: step_adam baked adam's host learning rate
    spare.learning_rate *= 0.5;                                                     // ok: no traced function uses 'spare'
  }
  std::cout << w.value() << "\n";
  return 0;
}
