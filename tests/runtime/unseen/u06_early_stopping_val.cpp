// Imitates a Keras-style loop with a validation step and an EarlyStopping/restore-best-weights callback written by hand.
// Hazards: trace-tensor-leak + trace-host-mutation (logits stashed in a model member inside the trace), trace-host-read (host branch on a loss tensor in the first validation step).
// Must stay silent: validation loss read with item() on the returned (concrete) tensor, patience counter on the host, best weights snapshotted outside the trace and restored after the loop, tl::where instead of a host branch.
#include <tl/tl.h>

#include <iostream>
#include <vector>

struct Model {
  tl::variable w{tl::stateless_normal({4, 3}, 61, 0.f, 0.2f), "w"};
  tl::variable b{tl::zeros({3}), "b"};
  tl::tensor last_logits;  // "for debugging"
  std::vector<tl::variable> vars() const { return {w, b}; }
  tl::tensor logits(const tl::tensor& x) const { return tl::matmul(x, w) + b.value(); }
};

int main() {
  auto x = tl::stateless_normal({8, 4}, 62);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 1, 2, 0, 1, 2, 2, 1}, {8});
  auto xv = tl::stateless_normal({4, 4}, 63);
  auto yv = tl::tensor::from_vector<std::int64_t>({2, 1, 0, 0}, {4});
  Model model;
  tl::optimizers::sgd opt(0.3);

  auto train_step = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto logits = model.logits(xb);
    model.last_logits = logits;  // ERROR[trace-tensor-leak]: symbolic tensor kept in a member // WARN[trace-host-mutation]: symbolic tensor kept in a member
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(logits, yb));
    auto vars = model.vars();
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    return loss;
  }, {.name = "train_step"});

  // First attempt: "cap diverged losses" with a host if.
  auto val_step_v1 = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(model.logits(xb), yb));
    if (tl::greater(loss, tl::constant(100.0))) return tl::constant(100.0);  // ERROR[trace-host-read]: no value while tracing
    return loss;
  }, {.name = "val_step_v1"});

  auto val_step = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(model.logits(xb), yb));
    return tl::where(tl::greater(loss, tl::constant(100.0)), tl::constant(100.0), loss);
  }, {.name = "val_step"});

  try {
    val_step_v1(xv, yv);
  } catch (const tl::error&) {
    std::cout << "val_step_v1 failed while tracing; using val_step\n";
  }

  const int patience = 2;
  float best = 1e9f;
  int wait = 0;
  tl::tensor best_w = model.w.value(), best_b = model.b.value();
  for (int epoch = 0; epoch < 6; ++epoch) {
    const float tl_loss = train_step(x, y).item<float>();
    const float v = val_step(xv, yv).item<float>();
    std::cout << "epoch " << epoch << " train " << tl_loss << " val " << v << "\n";
    if (v < best) {
      best = v;
      wait = 0;
      best_w = model.w.value();
      best_b = model.b.value();
    } else if (++wait >= patience) {
      std::cout << "early stopping at epoch " << epoch << "\n";
      break;
    }
  }
  model.w.assign(best_w);  // restore best weights once, after the loop
  model.b.assign(best_b);
  std::cout << "restored val " << val_step(xv, yv).item<float>() << " (best " << best << ")\n";
  return 0;
}
