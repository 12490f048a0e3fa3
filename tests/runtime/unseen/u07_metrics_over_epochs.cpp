// Imitates a Keras compiled-metrics loop: a map of named metrics updated by a traced evaluation step, printed and reset every epoch, plus a hand-written "metric" with host state.
// Hazards: trace-host-mutation (HostCounter::update writes a host member while tracing), trace-variable-creation (a tl::metrics::sum made inside the trace), trace-update-outside (per-epoch reset of metrics the trace reads).
// Must stay silent: std::map of tl::metrics::mean created before tracing and updated inside it, sparse_categorical_accuracy updated in the trace, training step with the optimizer inside, results read on the host.
#include <tl/tl.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

struct HostCounter {  // seed-000-style "metric" kept in plain host numbers
  std::int64_t seen = 0;
  void update(const tl::tensor& labels) {
    seen += labels.shape()[0];  // WARN[trace-host-mutation]: happens once per trace of 'evaluate'
  }
};

int main() {
  auto x = tl::stateless_normal({8, 4}, 71);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 1, 2, 1, 0, 2, 1, 0}, {8});
  tl::variable w(tl::zeros({4, 3}), "w"), b(tl::zeros({3}), "b");
  std::vector<tl::variable> vars{w, b};
  tl::optimizers::sgd opt(0.5);

  std::map<std::string, tl::metrics::mean> named;
  named.try_emplace("loss");
  named.try_emplace("max_logit");
  tl::metrics::sparse_categorical_accuracy acc;
  HostCounter host_counter;

  auto train = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xb, w) + b.value(), yb));
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    return loss;
  }, {.name = "train"});

  auto evaluate = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    auto logits = tl::matmul(xb, w) + b.value();
    auto per_example = tl::sparse_softmax_cross_entropy(logits, yb);
    named.at("loss").update_state(per_example);
    named.at("max_logit").update_state(tl::max(logits, {-1}));
    acc.update_state(yb, logits);
    host_counter.update(yb);
    tl::metrics::sum batch_total;  // WARN[trace-variable-creation]: a metric (two variables) made while tracing, no guard
    batch_total.update_state(per_example);
    return batch_total.result();
  }, {.name = "evaluate"});

  for (int epoch = 0; epoch < 5; ++epoch) {
    for (std::int64_t k = 0; k < 2; ++k) train(tl::slice(x, {4 * k, 0}, {4, -1}), tl::slice(y, {4 * k}, {4}));
    const float batch_sum = evaluate(x, y).item<float>();
    std::cout << "epoch " << epoch;
    for (const auto& [name, m] : named) std::cout << " " << name << "=" << m.result().item<float>();
    std::cout << " acc=" << acc.result().item<float>() << " batch_sum=" << batch_sum << "\n";
    for (auto& [name, m] : named) m.reset_state();  // NOTE[trace-update-outside]: eager reset of variables 'evaluate' reads, in the loop that calls it
  }
  std::cout << "host counter saw " << host_counter.seen << " labels (80 were evaluated)\n";
  return 0;
}
