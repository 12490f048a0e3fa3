// Seed 002 ("variables updated outside the traced step go stale"): variables do not go stale;
// what does is a host value the trace baked in. Here the weight is a plain tensor captured by
// reference and rebound outside (`w = w - lr * g`): the graph keeps the tensor it saw while
// tracing, so the loss never changes.
// Expect: loss stays constant
// Hazards: trace-stale-capture
#include <tl/tl.h>

#include <iomanip>
#include <iostream>

int main() {
  auto x = tl::constant(2.0);
  auto y_true = tl::constant(3.0);
  auto w = tl::constant(1.0);
  auto b = tl::constant(0.0);
  double learning_rate = 0.01;
  auto train_step = tl::function(
      [&]() {
        auto y_pred = x * w + b;
        auto loss = tl::square(y_pred - y_true);
        auto grad_w = (y_pred - y_true) * x * 2.0;
        auto grad_b = (y_pred - y_true) * 2.0;
        return std::vector<tl::tensor>{loss, grad_w, grad_b};
      },
      {.name = "train_step"});
  std::cout << std::setprecision(6);
  for (int i = 0; i < 3; ++i) {
    auto out = train_step();
    w = w - out[1] * learning_rate;  // rebinds the host tensor; the graph still holds the old one
    b = b - out[2] * learning_rate;
    std::cout << "step=" << i << " loss=" << out[0].item<float>() << "\n";
  }
}
