// Seed 002, Example 3, fixed: the update moves into the traced step, so it is part of the replayed
// graph. Same losses as the buggy form; one graph call per step instead of one call plus eager ops.
// Expect: loss decreases
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  tl::variable w(tl::constant(1.0), "weight");
  tl::variable b(tl::constant(0.0), "bias");
  double learning_rate = 0.01;
  auto train_step = tl::function(
      [&](const tl::tensor& x, const tl::tensor& y_true) {
        tl::gradient_tape tape;
        auto loss = tl::square(x * w + b - y_true);
        auto gradients = tape.gradient(loss, std::vector<tl::variable>{w, b});
        w.assign_sub(gradients[0] * learning_rate);
        b.assign_sub(gradients[1] * learning_rate);
        return loss;
      },
      {.name = "train_step"});
  for (int i = 0; i < 5; ++i) {
    auto loss = train_step(tl::constant(2.0), tl::constant(3.0));
    std::cout << "loss=" << loss.item<float>() << " weight=" << w.value().item<float>() << "\n";
  }
}
