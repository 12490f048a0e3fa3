// Ported from the tf.function guide's advice on host values that change during training (a
// learning-rate schedule, a global step kept on the host) and its fix (pass them as tensors, or keep
// them in variables): a captured double changed in the training loop is baked at its first value.
#include <tl/tl.h>

#include <cmath>
#include <map>
#include <vector>

double schedule(int epoch) { return 0.1 * std::pow(0.5, epoch); }

void record(std::vector<double>& out, double v) { out.push_back(v); }  // WARN[trace-host-mutation]: trace_log

int main() {
  tl::variable w(tl::ones({2}));
  double lr = 0.1;
  auto step = tl::function([&](const tl::tensor& g) {
    w.assign_sub(g * lr);
    return w.value();
  }, {.name = "step"});
  for (int epoch = 0; epoch < 4; ++epoch) {
    step(tl::ones({2}));
    lr = schedule(epoch + 1);  // WARN[trace-stale-capture]: lr
  }

  auto step_t = tl::function([&](const tl::tensor& g, const tl::tensor& rate) {
    w.assign_sub(g * rate);
    return w.value();
  }, {.name = "step_t"});
  double rate = 0.1;
  for (int epoch = 0; epoch < 4; ++epoch) {
    step_t(tl::ones({2}), tl::constant(rate));
    rate = schedule(epoch + 1);  // passed as a tensor each call: nothing baked
  }

  tl::variable lr_var(tl::constant(0.1));
  auto step_v = tl::function([&](const tl::tensor& g) {
    w.assign_sub(g * lr_var.value());
    return w.value();
  }, {.name = "step_v"});
  for (int epoch = 0; epoch < 4; ++epoch) {
    step_v(tl::ones({2}));
    lr_var.assign(tl::constant(schedule(epoch + 1)));  // NOTE[trace-update-outside]: lr_var
  }

  // Host-side bookkeeping in a helper, called while tracing: once per trace.
  std::vector<double> trace_log;
  std::map<int, int> seen_shapes;
  auto logged = tl::function([&](const tl::tensor& x) {
    record(trace_log, 1.0);  // through the helper's reference parameter
    seen_shapes[static_cast<int>(x.rank())] += 1;  // WARN[trace-host-mutation]: seen_shapes
    std::vector<double> local_log;
    record(local_log, 2.0);  // the trace's own vector
    return x;
  }, {.name = "logged"});
  logged(tl::ones({2}));
  return static_cast<int>(trace_log.size());
}
