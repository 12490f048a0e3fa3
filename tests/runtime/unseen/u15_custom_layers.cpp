// Imitates Keras subclassed layers with lazy build() (weights made on first call) composed into a model trained by a traced step.
// Hazards: in u15_helpers.h: trace-host-mutation (ShiftLayer::calls_), trace-variable-creation (ShiftLayer makes a variable on every call).
// Must stay silent: Dense built behind `if (!built_)`, LayerScale built behind an early-return guard, variables collected after the first call, Adam applied in the trace, host eval outside.
#include <tl/tl.h>

#include <iostream>
#include <vector>

#include "u15_helpers.h"

int main() {
  auto x = tl::stateless_normal({8, 4}, 151);
  auto y = tl::tensor::from_vector<std::int64_t>({1, 0, 2, 2, 0, 1, 1, 0}, {8});
  Dense hidden(5, 152), out(3, 153);
  LayerScale scale;
  ShiftLayer shift;
  tl::optimizers::adam opt(0.05);
  std::vector<tl::variable> vars;  // filled once the layers are built

  auto forward = [&](const tl::tensor& xb) { return out(shift(scale(tl::relu(hidden(xb))))); };

  auto train_step = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(forward(xb), yb));
    if (vars.empty()) {
      for (const auto* layer_vars : {&hidden, &out}) {
        auto v = layer_vars->trainable();
        vars.insert(vars.end(), v.begin(), v.end());
      }
      auto s = scale.trainable();
      vars.insert(vars.end(), s.begin(), s.end());
    }
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    return loss;
  }, {.name = "layers_step"});

  for (int epoch = 0; epoch < 4; ++epoch) {
    float total = 0.f;
    for (int it = 0; it < 2; ++it) total += train_step(x, y).item<float>();
    std::cout << "epoch " << epoch << " loss " << total / 2 << "\n";
  }
  std::cout << "trainable variables " << vars.size() << ", shift calls counted " << shift.calls()
            << " (8 steps ran)\n";
  return 0;
}
