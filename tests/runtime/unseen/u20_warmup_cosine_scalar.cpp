// Imitates a per-step warmup+cosine learning-rate schedule (transformers get_cosine_schedule_with_warmup shape) feeding two traced train steps, plus a traced evaluation with debug output.
// Hazards: trace-scalar-retrace (lr passed as a host double that changes every step), trace-host-io (std::cout in the traced evaluation).
// Must stay silent: the same lr passed as a tensor, num_classes passed as a fixed host int, a bool training flag, tl::print in the evaluation, warmup/total constants.
#include <tl/tl.h>

#include <cmath>
#include <iostream>
#include <vector>

int main() {
  const int warmup = 2, total = 8, num_classes = 3;
  const double base_lr = 0.5;
  auto x = tl::stateless_normal({8, 4}, 201);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 2, 1, 1, 0, 2, 2, 1}, {8});
  tl::variable wa(tl::zeros({4, 3}), "wa"), wb(tl::zeros({4, 3}), "wb");

  auto step_host_lr = tl::function([&](const tl::tensor& xb, const tl::tensor& yb, double lr) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, wa), yb));
    auto g = tape.gradient(loss, std::vector<tl::variable>{wa});
    wa.assign_sub(g[0] * lr);
    return loss;
  }, {.name = "step_host_lr"});

  auto step_tensor_lr = tl::function([&](const tl::tensor& xb, const tl::tensor& yb, const tl::tensor& lr, bool training) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, wb), yb));
    if (training) {
      auto g = tape.gradient(loss, std::vector<tl::variable>{wb});
      wb.assign_sub(g[0] * lr);
    }
    return loss;
  }, {.name = "step_tensor_lr"});

  auto evaluate = tl::function([&](const tl::tensor& xb, const tl::tensor& yb, int classes) {
    std::cout << "evaluate: tracing for " << classes << " classes\n";  // WARN[trace-host-io]: printed once, not per evaluation
    auto pred = tl::argmax(tl::matmul(xb, wb), -1);
    auto hits = tl::cast(tl::equal(pred, yb), tl::dtype::float32);
    return tl::print(tl::mean(hits), "accuracy");
  }, {.name = "evaluate"});

  for (int it = 0; it < total; ++it) {
    const double lr = it < warmup ? base_lr * (it + 1) / warmup
                                  : base_lr * 0.5 * (1.0 + std::cos(3.14159265358979 * (it - warmup) / (total - warmup)));
    const float la = step_host_lr(x, y, lr).item<float>();  // WARN[trace-scalar-retrace]: a new lr value on every step
    const float lb = step_tensor_lr(x, y, tl::constant(lr), true).item<float>();
    std::cout << "step " << it << " lr " << lr << " host-lr loss " << la << " tensor-lr loss " << lb << "\n";
    if (it % 4 == 3) {
      const float acc = evaluate(x, y, num_classes).item<float>();
      const float val = step_tensor_lr(x, y, tl::constant(0.0), false).item<float>();
      std::cout << "  eval acc " << acc << " val loss " << val << "\n";
    }
  }
  std::cout << "traces: host-lr " << step_host_lr.tracing_count() << " tensor-lr " << step_tensor_lr.tracing_count() << "\n";
  return 0;
}
