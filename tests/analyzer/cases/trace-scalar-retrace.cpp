// Annotated cases for trace-scalar-retrace.
#include <tl/tl.h>

void positives() {
  auto step = tl::function([](const tl::tensor& x, int k) { return x * static_cast<double>(k); });
  auto scaled = tl::function([](const tl::tensor& x, double lr) { return x * lr; }, {.name = "scaled"});
  double lr = 0.1;
  for (int i = 0; i < 100; ++i) {
    step(tl::ones({2}), i);  // WARN[trace-scalar-retrace]: argument 1 of 'step' is a host scalar that takes a new value
    scaled(tl::ones({2}), lr);  // WARN[trace-scalar-retrace]: argument 1 of 'scaled'
    lr *= 0.99;
  }
  int epoch = 0;
  while (epoch < 5) {
    step(tl::ones({2}), epoch * 2);  // WARN[trace-scalar-retrace]: from 'epoch'
    ++epoch;
  }
}

void negatives() {
  auto step = tl::function([](const tl::tensor& x, int k) { return x * static_cast<double>(k); });
  auto tensor_arg = tl::function([](const tl::tensor& x, const tl::tensor& k) { return x * k; });
  for (int i = 0; i < 100; ++i) {
    step(tl::ones({2}), 3);  // a constant value: one trace
    tensor_arg(tl::ones({2}), tl::constant(static_cast<double>(i)));  // a tensor: not part of the key by value
  }
  step(tl::ones({2}), 4);  // outside a loop
}
