// Ported from the tf.function guide's training-loop examples and the API docs' "a function that
// is created once and called many times": one traced step with the gradient, the update and the
// metric inside it; the buggy forms update outside the step, or create the step in the loop.
#include <tl/tl.h>

#include <vector>

int main() {
  tl::variable w(tl::random_normal({3, 1}, 1));
  tl::variable b(tl::zeros({1}));
  tl::optimizers::sgd opt(0.1);
  tl::metrics::mean loss_metric;
  auto xs = tl::random_normal({8, 3}, 2);
  auto ys = tl::random_normal({8, 1}, 3);

  auto train_step = tl::function([&](const tl::tensor& x, const tl::tensor& y) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::square(tl::matmul(x, w) + b.value() - y));
    opt.apply_gradients(tape.gradient(loss, std::vector<tl::variable>{w, b}), {w, b});
    loss_metric.update_state(loss);
    return loss;
  }, {.name = "train_step"});
  for (int epoch = 0; epoch < 5; ++epoch) train_step(xs, ys);

  // Gradients in the step, the update outside it: correct, but the update runs op by op.
  tl::variable w2(tl::random_normal({3, 1}, 4));
  auto grad_step = tl::function([&](const tl::tensor& x, const tl::tensor& y) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::square(tl::matmul(x, w2) - y));
    return tape.gradient(loss, std::vector<tl::variable>{w2});
  }, {.name = "grad_step"});
  for (int epoch = 0; epoch < 5; ++epoch) {
    auto grads = grad_step(xs, ys);
    opt.apply_gradients(grads, {w2});  // NOTE[trace-update-outside]: w2
  }

  // A new function object per iteration: an empty cache every time.
  for (int epoch = 0; epoch < 3; ++epoch) {
    auto predict = tl::function([&](const tl::tensor& x) { return tl::matmul(x, w); }, {.name = "predict"});  // WARN[trace-function-in-loop]: predict
    predict(xs);
  }
  auto predict_once = tl::function([&](const tl::tensor& x) { return tl::matmul(x, w); }, {.name = "predict_once"});
  for (int epoch = 0; epoch < 3; ++epoch) predict_once(xs);
  return loss_metric.result().item<float>() >= 0.f ? 0 : 1;
}
