// Imitates a training script with logging and checkpoint helpers in a separate header (ModelCheckpoint + summary writer shape).
// Hazards: in u09_helpers.h: trace-host-io (log_scalar reached from the trace), trace-tensor-leak + trace-host-mutation (record_loss keeps the symbolic loss in a global).
// Must stay silent: log_scalar and save() called on the host outside the trace, checkpoint restore after the loop, optimizer step and tl::print inside the trace.
#include <tl/tl.h>

#include <iostream>
#include <vector>

#include "u09_helpers.h"

int main() {
  auto x = tl::stateless_normal({6, 3}, 91);
  auto y = tl::tensor::from_vector<std::int64_t>({1, 0, 1, 1, 0, 0}, {6});
  auto xv = tl::stateless_normal({4, 3}, 92);
  auto yv = tl::tensor::from_vector<std::int64_t>({0, 1, 1, 0}, {4});
  tl::variable w(tl::zeros({3, 2}), "w"), b(tl::zeros({2}), "b");
  std::vector<tl::variable> vars{w, b};
  tl::optimizers::sgd opt(0.4);
  CheckpointManager ckpt;

  auto train_step = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, w) + b.value(), yb));
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    log_scalar("train/loss", loss);
    record_loss(loss);
    return tl::print(loss, "train/loss");
  }, {.name = "train_step"});

  auto val_loss = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    return tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, w) + b.value(), yb));
  }, {.name = "val_loss"});

  float best = 1e9f;
  std::size_t best_ckpt = 0;
  for (int epoch = 0; epoch < 4; ++epoch) {
    float total = 0.f;
    for (int it = 0; it < 2; ++it) total += train_step(x, y).item<float>();
    auto v = val_loss(xv, yv);
    log_scalar("val/loss", v);  // host-side logging, outside any trace
    ckpt.save(vars);
    if (v.item<float>() < best) {
      best = v.item<float>();
      best_ckpt = ckpt.size() - 1;
    }
    std::cout << "epoch " << epoch << " train " << total / 2 << " val " << v.item<float>() << "\n";
  }
  ckpt.restore(vars, best_ckpt);
  std::cout << "restored checkpoint " << best_ckpt << " val " << val_loss(xv, yv).item<float>()
            << "; history entries " << g_loss_history.size() << " (8 steps ran)\n";
  return 0;
}
