// Seed 002, Example 2: a model class with variables and an optimizer's apply_gradients inside the
// traced step. Correct as written.
// Expect: loss decreases
// Hazards: none
#include <tl/tl.h>

#include <iostream>

struct LinearRegressionModel {
  tl::variable w{tl::constant(1.0), "weight"};
  tl::variable b{tl::constant(0.0), "bias"};
  tl::tensor operator()(const tl::tensor& x) const { return x * w + b; }
  std::vector<tl::variable> trainable_variables() const { return {w, b}; }
};

int main() {
  LinearRegressionModel model;
  tl::optimizers::sgd optimizer(0.01);
  auto train_step = tl::function(
      [&](const tl::tensor& x, const tl::tensor& y_true) {
        tl::gradient_tape tape;
        auto loss = tl::square(model(x) - y_true);
        auto gradients = tape.gradient(loss, model.trainable_variables());
        optimizer.apply_gradients(gradients, model.trainable_variables());
        return loss;
      },
      {.name = "train_step"});
  for (int i = 0; i < 3; ++i) {
    auto loss = train_step(tl::constant(2.0), tl::constant(3.0));
    std::cout << "loss=" << loss.item<float>() << " weight=" << model.w.value().item<float>() << "\n";
  }
}
