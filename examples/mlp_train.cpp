// An MLP (16 -> 32 ReLU -> 4) trained with SGD on a synthetic 4-class problem: the class is the
// quadrant of the first two features. Traced by default; `--eager` runs the same step eagerly.
// Prints the loss every 20 steps and the final accuracy.
// Hazards: none
#include <tl/tl.h>

#include <cstring>
#include <iostream>
#include <random>

int main(int argc, char** argv) {
  bool eager = argc > 1 && std::strcmp(argv[1], "--eager") == 0;
  tl::run_functions_eagerly(eager);
  constexpr std::int64_t kBatch = 64, kIn = 16, kHidden = 32, kClasses = 4;
  std::mt19937 gen(7);
  std::normal_distribution<float> normal;
  std::vector<float> xs(kBatch * kIn);
  std::vector<std::int64_t> ys(kBatch);
  for (std::int64_t i = 0; i < kBatch; ++i) {
    for (std::int64_t j = 0; j < kIn; ++j) xs[static_cast<std::size_t>(i * kIn + j)] = normal(gen);
    ys[static_cast<std::size_t>(i)] = (xs[static_cast<std::size_t>(i * kIn)] > 0 ? 1 : 0) + (xs[static_cast<std::size_t>(i * kIn + 1)] > 0 ? 2 : 0);
  }
  auto x = tl::tensor::from_vector(xs, {kBatch, kIn});
  auto y = tl::tensor::from_vector(ys, {kBatch});
  tl::variable w1(tl::random_normal({kIn, kHidden}, 1, 0.f, 0.3f), "w1");
  tl::variable b1(tl::zeros({kHidden}), "b1");
  tl::variable w2(tl::random_normal({kHidden, kClasses}, 2, 0.f, 0.3f), "w2");
  tl::variable b2(tl::zeros({kClasses}), "b2");
  tl::optimizers::sgd opt(0.5);
  tl::metrics::sparse_categorical_accuracy accuracy;
  auto train_step = tl::function(
      [&](const tl::tensor& features, const tl::tensor& labels) {
        tl::gradient_tape tape;
        auto hidden = tl::relu(tl::matmul(features, w1) + b1);
        auto logits = tl::matmul(hidden, w2) + b2;
        auto loss = tl::mean(tl::sparse_softmax_cross_entropy(logits, labels));
        std::vector<tl::variable> params{w1, b1, w2, b2};
        opt.apply_gradients(tape.gradient(loss, params), params);
        accuracy.update_state(labels, logits);
        return loss;
      },
      {.name = "train_step"});
  for (int step = 0; step < 200; ++step) {
    auto loss = train_step(x, y);
    if (step % 20 == 0 || step == 199) std::cout << "step=" << step << " loss=" << loss.item<float>() << "\n";
  }
  std::cout << "accuracy=" << accuracy.result().item<float>() << " traces=" << train_step.tracing_count() << "\n";
}
