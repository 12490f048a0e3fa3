// Seed 002, Example 3 ("incorrect way"): gradients returned from the traced step and applied with
// assign_sub outside it. The article claims the step then keeps the initial weights; it does not:
// variables are read when the graph runs, so the loss falls exactly as with the update inside. The
// real cost is performance: the update runs op by op on the host (trace-update-outside).
// Expect: loss decreases
// Hazards: trace-update-outside
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
        return std::vector<tl::tensor>{loss, gradients[0], gradients[1]};
      },
      {.name = "train_step"});
  for (int i = 0; i < 5; ++i) {
    auto out = train_step(tl::constant(2.0), tl::constant(3.0));
    w.assign_sub(out[1] * learning_rate);  // eager, op by op
    b.assign_sub(out[2] * learning_rate);
    std::cout << "loss=" << out[0].item<float>() << " weight=" << w.value().item<float>() << "\n";
  }
}
