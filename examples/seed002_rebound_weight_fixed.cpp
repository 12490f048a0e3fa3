// Seed 002, fixed: weights are variables and the update runs inside the traced step.
// Expect: loss decreases
// Hazards: none
#include <tl/tl.h>

#include <iomanip>
#include <iostream>

int main() {
  auto x = tl::constant(2.0);
  auto y_true = tl::constant(3.0);
  tl::variable w(tl::constant(1.0), "weight");
  tl::variable b(tl::constant(0.0), "bias");
  tl::optimizers::sgd opt(0.01);
  auto train_step = tl::function(
      [&]() {
        tl::gradient_tape tape;
        auto y_pred = x * w + b;
        auto loss = tl::square(y_pred - y_true);
        auto grads = tape.gradient(loss, std::vector<tl::variable>{w, b});
        opt.apply_gradients(grads, {w, b});
        return loss;
      },
      {.name = "train_step"});
  std::cout << std::setprecision(6);
  for (int i = 0; i < 3; ++i) std::cout << "step=" << i << " loss=" << train_step().item<float>() << "\n";
}
