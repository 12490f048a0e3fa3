// a06_metrics_in_trace: seed 000's Example 2 and seed 004's "fix": metrics created inside the traced
// evaluation step (directly and in a helper), next to the correct versions.
// Hazards:
//   trace-variable-creation x2: a mean metric constructed in the traced lambda; an accuracy metric
//     constructed in a helper the traced lambda calls.
//   trace-update-outside x1 (a note; annotated WARN, see README): the loss metric reset in the loop that
//     calls the trace (documented as reported).
// Must stay silent: a metric created once outside; a std::optional metric emplaced in a create-once guard;
//   a static local variable; a copy of a variable handle; update_state inside the trace; a reset after
//   the loop; host I/O outside traces.
#include <tl/tl.h>

#include <cstdint>
#include <iostream>
#include <optional>

tl::tensor batch_accuracy(const tl::tensor& labels, const tl::tensor& logits) {
  tl::metrics::sparse_categorical_accuracy acc;                                     // WARN[trace-variable-creation]: metric made on every trace (helper reached from eval_bad)
  acc.update_state(labels, logits);
  return acc.result();
}

int main() {
  auto labels = tl::tensor::from_vector<std::int64_t>({0, 1, 2, 1}, {4});
  auto logits = tl::tensor::from_vector<float>({2, 1, 0, 0, 3, 1, 1, 0, 4, 0, 2, 1}, {4, 3});
  tl::metrics::mean loss_metric;                                                    // ok: created once, outside traces
  std::optional<tl::metrics::sparse_categorical_accuracy> acc_opt;
  tl::variable total(tl::constant(0.0), "total");

  auto eval_bad = tl::function(
      [](const tl::tensor& y, const tl::tensor& z) {
        tl::metrics::mean m;                                                        // WARN[trace-variable-creation]: metric created while tracing, no guard
        m.update_state(tl::sparse_softmax_cross_entropy(z, y));
        return m.result() + batch_accuracy(y, z);
      },
      {.name = "eval_bad"});

  auto eval_good = tl::function(
      [&](const tl::tensor& y, const tl::tensor& z) {
        if (!acc_opt) acc_opt.emplace();                                            // ok: create-once guard on a captured optional
        acc_opt->update_state(y, z);                                                // ok: metric update is a graph op
        loss_metric.update_state(tl::sparse_softmax_cross_entropy(z, y));           // ok: metric created outside
        static tl::variable calls(tl::constant(0.0), "calls");                      // ok: static local, initialized once per process
        calls.assign_add(tl::constant(1.0));                                        // ok: variable update in the graph
        tl::variable alias = total;                                                 // ok: copy of a handle creates no variable
        alias.assign_add(tl::sum(z));                                               // ok: graph op
        return loss_metric.result();
      },
      {.name = "eval_good"});

  for (int epoch = 0; epoch < 3; ++epoch) {
    auto a = eval_bad(labels, logits);
    auto b = eval_good(labels, logits);
    std::cout << "epoch " << epoch << " " << a << " " << b << "\n";                // ok: host I/O outside traces
    loss_metric.reset_state();                                                      // WARN[trace-update-outside]: eval_good reads loss_metric; reset in the loop that calls it
  }
  acc_opt->reset_state();                                                           // ok: after the loop
  std::cout << total.value() << "\n";
  return 0;
}
