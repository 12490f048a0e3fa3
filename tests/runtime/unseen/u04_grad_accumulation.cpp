// Imitates gradient accumulation over micro-batches (HF Trainer gradient_accumulation_steps style) with a ragged last micro-batch.
// Hazards: trace-shape-retrace (ragged micro-batch from std::min), trace-host-mutation (host micro-batch counter bumped in the trace).
// Must stay silent: accumulator variables made behind a create-once guard (vector.empty()), assign_add/assign inside traces, optimizer applied in a traced apply step, host decision when to apply based on the host loop counter.
#include <tl/tl.h>

#include <algorithm>
#include <iostream>
#include <vector>

int main() {
  const std::int64_t n = 10, micro = 4;
  const int accum_steps = 3;
  auto x = tl::stateless_normal({n, 4}, 31);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 1, 1, 0, 1, 0, 0, 1, 1, 0}, {n});
  tl::variable w(tl::stateless_normal({4, 2}, 32, 0.f, 0.1f), "w"), b(tl::zeros({2}), "b");
  std::vector<tl::variable> params{w, b};
  std::vector<tl::variable> accum;  // gradient buffers, created once by the first trace
  tl::variable micro_seen(tl::constant(0.0), "micro_seen", false);
  tl::optimizers::sgd opt(0.3);
  int host_micro = 0;

  auto accumulate = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    if (accum.empty()) {
      for (const auto& p : params) accum.emplace_back(tl::zeros(p.shape()), p.name() + "_acc", false);
    }
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, w) + b.value(), yb));
    auto grads = tape.gradient(loss, params);
    for (std::size_t i = 0; i < grads.size(); ++i) accum[i].assign_add(grads[i]);
    micro_seen.assign_add(tl::constant(1.0));
    ++host_micro;  // WARN[trace-host-mutation]: counts traces of 'accumulate', not micro-batches
    return loss;
  }, {.name = "accumulate"});

  auto apply = tl::function([&]() {
    std::vector<tl::tensor> avg;
    for (const auto& a : accum) avg.push_back(a.value() / micro_seen.value());
    opt.apply_gradients(avg, params);
    for (const auto& a : accum) a.assign(tl::zeros(a.shape()));
    micro_seen.assign(tl::constant(0.0));
  }, {.name = "apply_accumulated"});

  for (int epoch = 0; epoch < 3; ++epoch) {
    double epoch_loss = 0;
    int batches = 0;
    for (std::int64_t start = 0; start < n; start += micro) {
      const std::int64_t len = std::min(micro, n - start);
      auto xb = tl::slice(x, {start, 0}, {len, -1});
      auto yb = tl::slice(y, {start}, {len});
      epoch_loss += accumulate(xb, yb).item<float>();  // WARN[trace-shape-retrace]: last micro-batch has 2 rows, the others 4
      if (++batches % accum_steps == 0) apply();
    }
    std::cout << "epoch " << epoch << " mean micro loss " << epoch_loss / batches << "\n";
  }
  std::cout << "host_micro=" << host_micro << " traces=" << accumulate.tracing_count()
            << " w[0]=" << w.value().to_vector<float>()[0] << "\n";
  return 0;
}
