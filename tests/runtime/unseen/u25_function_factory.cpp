// Imitates a framework-style trainer that obtains its compiled steps from factory functions (Keras make_train_function/make_test_function shape), with a list of evaluators.
// Hazards: in u25_helpers.h: trace-function-in-loop (make_eval_fn called inside the epoch loop), trace-host-mutation (global trace counter).
// Must stay silent: make_train_fn called once before the loop and reused, a std::vector of evaluator tl::functions built once and called every epoch, tl::print, host epoch summary.
#include <tl/tl.h>

#include <iostream>
#include <vector>

#include "u25_helpers.h"

int main() {
  auto x = tl::stateless_normal({8, 3}, 251);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 1, 1, 0, 1, 1, 0, 0}, {8});
  auto xv = tl::stateless_normal({4, 3}, 252);
  auto yv = tl::tensor::from_vector<std::int64_t>({1, 0, 0, 1}, {4});
  LinearModel model;
  tl::optimizers::sgd opt(0.5);

  auto train = make_train_fn(model, opt);
  std::vector<StepFn> evaluators;  // one per split, built once
  evaluators.push_back(StepFn([&](const tl::tensor& xb, const tl::tensor& yb) {
    return tl::print(tl::mean(tl::sparse_softmax_cross_entropy(model.logits(xb), yb)), "split loss");
  }, {.name = "split_loss"}));
  evaluators.push_back(StepFn([&](const tl::tensor& xb, const tl::tensor& yb) {
    return tl::mean(tl::cast(tl::equal(tl::argmax(model.logits(xb), -1), yb), tl::dtype::float32));
  }, {.name = "split_acc"}));

  for (int epoch = 0; epoch < 4; ++epoch) {
    float total = 0.f;
    for (std::int64_t k = 0; k < 2; ++k)
      total += train(tl::slice(x, {4 * k, 0}, {4, -1}), tl::slice(y, {4 * k}, {4})).item<float>();
    auto eval = make_eval_fn(model);
    const float acc = eval(xv, yv).item<float>();
    std::cout << "epoch " << epoch << " train " << total / 2 << " val acc " << acc;
    for (const auto& fn : evaluators) std::cout << " " << fn(xv, yv).item<float>();
    std::cout << "\n";
  }
  std::cout << "train traces counted " << g_train_traces << " (8 steps ran), train.tracing_count() "
            << train.tracing_count() << "\n";
  return 0;
}
