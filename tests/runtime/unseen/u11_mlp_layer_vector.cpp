// Imitates a torch.nn.Sequential-like MLP holding a std::vector of weight variables built lazily on the first call, with dropout, trained by a traced step.
// Hazards: trace-host-mutation (per-layer call counters, a std::vector<int> element written in the trace), trace-variable-creation (dropout mask stored in a fresh tl::variable every trace).
// Must stay silent: layers_ built behind `if (layers_.empty())`, separate train/eval traced functions (each one signature), optimizer and metric inside the trace, tl::print of the eval loss.
#include <tl/tl.h>

#include <iostream>
#include <string>
#include <vector>

class MLP {
 public:
  explicit MLP(std::vector<std::int64_t> sizes) : sizes_(std::move(sizes)), calls_per_layer_(sizes_.size() - 1, 0) {}

  tl::tensor operator()(const tl::tensor& x, bool training) {
    if (layers_.empty()) {
      for (std::size_t i = 0; i + 1 < sizes_.size(); ++i)
        layers_.emplace_back(tl::stateless_normal({sizes_[i], sizes_[i + 1]}, 110 + i, 0.f, 0.4f), "dense_" + std::to_string(i));
    }
    auto h = x;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      ++calls_per_layer_[i];  // WARN[trace-host-mutation]: counts traces, not forward passes
      h = tl::matmul(h, layers_[i]);
      if (i + 1 < layers_.size()) h = tl::relu(h);
    }
    if (training) {
      tl::variable keep(tl::stateless_uniform(h.shape(), 5), "dropout_keep", false);  // WARN[trace-variable-creation]: no create-once guard
      h = h * tl::cast(tl::greater(keep.value(), tl::constant(0.2)), tl::dtype::float32) / 0.8;
    }
    return h;
  }
  const std::vector<tl::variable>& trainable() const { return layers_; }
  const std::vector<int>& calls() const { return calls_per_layer_; }

 private:
  std::vector<std::int64_t> sizes_;
  std::vector<tl::variable> layers_;
  std::vector<int> calls_per_layer_;
};

int main() {
  auto x = tl::stateless_normal({8, 4}, 111);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 1, 2, 2, 1, 0, 0, 1}, {8});
  MLP model({4, 6, 3});
  tl::optimizers::sgd opt(0.2, 0.9);
  tl::metrics::mean train_loss;

  auto train_step = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(model(xb, true), yb));
    const auto& vars = model.trainable();
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    train_loss.update_state(loss);
    return loss;
  }, {.name = "mlp_train"});

  auto eval_step = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    return tl::print(tl::mean(tl::sparse_softmax_cross_entropy(model(xb, false), yb)), "eval loss");
  }, {.name = "mlp_eval"});

  for (int epoch = 0; epoch < 3; ++epoch) {
    float last = 0.f;
    for (int it = 0; it < 3; ++it) last = train_step(x, y).item<float>();
    const float ev = eval_step(x, y).item<float>();
    std::cout << "epoch " << epoch << " last train " << last << " eval " << ev << " running "
              << train_loss.result().item<float>() << "\n";
  }
  std::cout << "layer call counters:";
  for (int c : model.calls()) std::cout << " " << c;
  std::cout << " (12 forward passes ran)\n";
  return 0;
}
