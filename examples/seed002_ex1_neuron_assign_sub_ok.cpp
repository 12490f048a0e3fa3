// Seed 002, Example 1: a single neuron whose variables are updated with assign_sub inside the
// traced step. Correct as written: the loss falls on every call.
// Expect: loss decreases
// Hazards: none
#include <tl/tl.h>

#include <iostream>

int main() {
  tl::variable w(tl::constant(1.0), "weight");
  tl::variable b(tl::constant(0.0), "bias");
  auto x = tl::constant(2.0);
  auto y_true = tl::constant(3.0);
  double learning_rate = 0.01;
  auto loss_function = [](const tl::tensor& y_pred, const tl::tensor& y) { return tl::square(y_pred - y); };
  auto prediction = [](const tl::tensor& in, const tl::tensor& wv, const tl::tensor& bv) { return in * wv + bv; };
  auto train_step = tl::function(
      [&]() {
        tl::gradient_tape tape;
        auto loss = loss_function(prediction(x, w, b), y_true);
        auto gradients = tape.gradient(loss, std::vector<tl::variable>{w, b});
        w.assign_sub(gradients[0] * learning_rate);
        b.assign_sub(gradients[1] * learning_rate);
        return std::vector<tl::tensor>{loss, w.value(), b.value()};
      },
      {.name = "train_step"});
  for (int i = 0; i < 3; ++i) {
    auto out = train_step();
    std::cout << "loss=" << out[0].item<float>() << " weight=" << out[1].item<float>() << " bias=" << out[2].item<float>()
              << "\n";
  }
}
