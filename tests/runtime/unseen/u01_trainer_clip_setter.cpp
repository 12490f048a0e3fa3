// Imitates a PyTorch-Lightning-style Trainer class: train_step is a traced member that reads members,
// and setters/epoch hooks in other methods change them between epochs.
// Hazards: trace-host-mutation (steps_ bumped in the traced method), trace-stale-capture (set_clip).
// Must stay silent: l2_ fixed at construction, optimizer and loss metric updated in the trace, tl::print, epoch_ counted outside the trace, fixed-size batch windows.
#include <tl/tl.h>

#include <functional>
#include <iostream>
#include <vector>

class Trainer {
 public:
  using StepFn = std::function<tl::tensor(const tl::tensor&, const tl::tensor&)>;

  Trainer(double l2, double clip)
      : w_(tl::stateless_normal({4, 3}, 7, 0.f, 0.1f), "w"),
        b_(tl::zeros({3}), "b"),
        opt_(0.2),
        l2_(l2),
        clip_(clip),
        step_fn_([this](const tl::tensor& x, const tl::tensor& y) { return train_step(x, y); }, {.name = "trainer_step"}) {}

  tl::tensor step(const tl::tensor& x, const tl::tensor& y) { return step_fn_(x, y); }

  // Called between epochs by the user's schedule.
  void set_clip(double clip) {
    clip_ = clip;  // WARN[trace-stale-capture]: clip_ was baked into trainer_step by its first trace
  }

  void end_epoch() { ++epoch_; }  // host bookkeeping outside any trace
  int steps() const { return steps_; }
  int epochs() const { return epoch_; }
  float mean_loss() const { return loss_metric_.result().item<float>(); }

 private:
  tl::tensor train_step(const tl::tensor& x, const tl::tensor& y) {
    ++steps_;  // WARN[trace-host-mutation]: counts traces, not steps
    tl::gradient_tape tape;
    auto logits = tl::matmul(x, w_) + b_.value();
    auto ce = tl::mean(tl::sparse_softmax_cross_entropy(logits, y));
    auto loss = ce + tl::sum(tl::square(w_.value())) * l2_;
    std::vector<tl::variable> vars{w_, b_};
    auto grads = tape.gradient(loss, vars);
    const auto c = tl::constant(clip_);
    for (auto& g : grads) g = tl::minimum(tl::maximum(g, -c), c);
    opt_.apply_gradients(grads, vars);
    loss_metric_.update_state(loss);
    return tl::print(loss, "trainer_step loss");
  }

  tl::variable w_, b_;
  tl::optimizers::sgd opt_;
  tl::metrics::mean loss_metric_;
  const double l2_;
  double clip_;
  int steps_ = 0;
  int epoch_ = 0;
  tl::function<StepFn> step_fn_;
};

int main() {
  auto x = tl::stateless_normal({8, 4}, 11);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 1, 2, 0, 1, 2, 0, 1}, {8});
  Trainer trainer(1e-3, 1.0);
  for (int epoch = 0; epoch < 3; ++epoch) {
    float total = 0.f;
    for (std::int64_t b = 0; b < 2; ++b) {
      auto xb = tl::slice(x, {b * 4, 0}, {4, -1});
      auto yb = tl::slice(y, {b * 4}, {4});
      total += trainer.step(xb, yb).item<float>();
    }
    trainer.end_epoch();
    std::cout << "epoch " << epoch << " loss " << total / 2 << "\n";
    if (epoch == 0) trainer.set_clip(0.05);
  }
  std::cout << "epochs=" << trainer.epochs() << " steps seen by host=" << trainer.steps()
            << " mean loss=" << trainer.mean_loss() << "\n";
  return 0;
}
