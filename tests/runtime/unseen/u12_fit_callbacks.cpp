// Imitates Keras Model.fit with user callbacks: on_train_batch_end hooks (std::function) run inside the traced train step, on_epoch_end hooks run on the host.
// Hazards: hooks run while tracing: trace-host-mutation (captured counter), trace-host-io (std::cout), trace-variable-creation (a metric made per batch inside a hook).
// Must stay silent: a hook updating a metric created outside, a hook using tl::print, epoch-end hooks doing host I/O and keeping concrete weight snapshots, Trainer members only read by the traced method.
#include <tl/tl.h>

#include <functional>
#include <iostream>
#include <vector>

struct Callbacks {
  std::vector<std::function<void(const tl::tensor&)>> on_train_batch_end;  // called inside the traced step
  std::vector<std::function<void(int, float)>> on_epoch_end;               // called on the host
};

class Model {
 public:
  using StepFn = std::function<tl::tensor(const tl::tensor&, const tl::tensor&)>;
  Model() : step_([this](const tl::tensor& x, const tl::tensor& y) { return train_step(x, y); }, {.name = "fit_step"}) {}

  Callbacks& callbacks() { return cbs_; }
  tl::variable weights() const { return w_; }

  void fit(const tl::tensor& x, const tl::tensor& y, int epochs, std::int64_t batch) {
    const std::int64_t n = x.shape()[0];
    for (int epoch = 0; epoch < epochs; ++epoch) {
      float total = 0.f;
      for (std::int64_t s = 0; s < n; s += batch)
        total += step_(tl::slice(x, {s, 0}, {batch, -1}), tl::slice(y, {s}, {batch})).item<float>();
      for (auto& cb : cbs_.on_epoch_end) cb(epoch, total / static_cast<float>(n / batch));
    }
  }

 private:
  tl::tensor train_step(const tl::tensor& x, const tl::tensor& y) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(x, w_) + b_.value(), y));
    std::vector<tl::variable> vars{w_, b_};
    opt_.apply_gradients(tape.gradient(loss, vars), vars);
    for (auto& cb : cbs_.on_train_batch_end) cb(loss);
    return loss;
  }

  tl::variable w_{tl::zeros({4, 3}), "w"};
  tl::variable b_{tl::zeros({3}), "b"};
  tl::optimizers::adam opt_{0.05};
  Callbacks cbs_;
  tl::function<StepFn> step_;
};

int main() {
  auto x = tl::stateless_normal({8, 4}, 121);
  auto y = tl::tensor::from_vector<std::int64_t>({2, 1, 0, 2, 1, 0, 1, 2}, {8});
  Model model;
  tl::metrics::mean running_loss;
  int batches_logged = 0;
  std::vector<tl::tensor> weight_history;

  auto& hooks = model.callbacks().on_train_batch_end;
  hooks.push_back([&](const tl::tensor& loss) { running_loss.update_state(loss); });
  hooks.push_back([](const tl::tensor& loss) { tl::print(loss, "batch loss"); });
  hooks.push_back([&](const tl::tensor&) {
    ++batches_logged;  // WARN[trace-host-mutation]: the hook runs only while fit_step is traced
  });
  hooks.push_back([](const tl::tensor&) {
    std::cout << "  [hook] batch finished\n";  // WARN[trace-host-io]
  });
  hooks.push_back([](const tl::tensor& loss) {
    tl::metrics::mean per_batch;  // WARN[trace-variable-creation]: a metric made inside the traced step
    per_batch.update_state(loss);
  });

  model.callbacks().on_epoch_end.push_back([&](int epoch, float loss) {
    std::cout << "epoch " << epoch << " loss " << loss << " running " << running_loss.result().item<float>() << "\n";
  });
  model.callbacks().on_epoch_end.push_back([&](int, float) { weight_history.push_back(model.weights().value()); });

  model.fit(x, y, 3, 4);
  std::cout << "batches_logged=" << batches_logged << " (6 batches ran), snapshots=" << weight_history.size() << "\n";
  return 0;
}
