// Imitates Polyak/EMA weight averaging (tf.train.ExponentialMovingAverage / timm ModelEmaV2 shape) with a warmup decay schedule and an EMA evaluation step.
// Hazards: trace-stale-capture (decay warmup assigned after the traced step baked it), trace-stale-capture (a plain tensor shadow of the bias rebound after eval_ema traced it).
// Must stay silent: EMA of the weight kept in a variable assigned inside the trace, kBias constant, eager reads of b for the host-side shadow, final eval after the loop.
#include <tl/tl.h>

#include <algorithm>
#include <iostream>
#include <vector>

int main() {
  const double kBias = 1e-3;
  auto x = tl::stateless_normal({8, 3}, 131);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 1, 1, 0, 1, 0, 1, 1}, {8});
  auto xv = tl::stateless_normal({4, 3}, 132);
  auto yv = tl::tensor::from_vector<std::int64_t>({1, 0, 0, 1}, {4});

  tl::variable w(tl::stateless_normal({3, 2}, 133, 0.f, 0.3f), "w"), b(tl::zeros({2}), "b");
  std::vector<tl::variable> vars{w, b};
  tl::variable ema_w(w.value(), "ema_w", false);
  tl::tensor ema_b = b.value();  // shadow kept as a plain tensor
  double decay = 0.1;            // warmed up towards 0.99
  tl::optimizers::sgd opt(0.5);

  auto train = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, w) + b.value() + kBias, yb));
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    ema_w.assign(ema_w.value() * decay + w.value() * (1.0 - decay));
    return loss;
  }, {.name = "train_with_ema"});

  auto eval_ema = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    return tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, ema_w) + ema_b, yb));
  }, {.name = "eval_ema"});

  for (int step = 0; step < 6; ++step) {
    const float loss = train(x, y).item<float>();
    decay = std::min(0.99, (1.0 + step) / (10.0 + step));  // WARN[trace-stale-capture]: train_with_ema keeps decay=0.1
    ema_b = ema_b * 0.9 + b.value() * 0.1;  // WARN[trace-stale-capture]: eval_ema keeps the tensor it traced
    const float ev = eval_ema(xv, yv).item<float>();
    std::cout << "step " << step << " loss " << loss << " ema eval " << ev << " decay " << decay << "\n";
  }
  std::cout << "ema_w[0] " << ema_w.value().to_vector<float>()[0] << " w[0] " << w.value().to_vector<float>()[0] << "\n";
  return 0;
}
