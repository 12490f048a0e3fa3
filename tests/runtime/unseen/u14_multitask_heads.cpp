// Imitates a multi-task model (shared trunk + one head per task, weighted loss sum) with per-task loss logging and task re-weighting between epochs.
// Hazards: trace-tensor-leak + trace-host-mutation (per-task losses pushed into a captured vector), trace-stale-capture (an element of the captured task-weight vector changed after tracing).
// Must stay silent: heads as a std::vector<tl::variable> made before tracing, class_prior vector read by the trace but never changed, per-task losses returned from the trace and logged on the host, labels chosen from a host vector outside the trace.
#include <tl/tl.h>

#include <iostream>
#include <vector>

int main() {
  const int tasks = 3;
  auto x = tl::stateless_normal({6, 4}, 141);
  std::vector<tl::tensor> labels{
      tl::tensor::from_vector<std::int64_t>({0, 1, 0, 1, 1, 0}, {6}),
      tl::tensor::from_vector<std::int64_t>({1, 1, 0, 0, 1, 0}, {6}),
      tl::tensor::from_vector<std::int64_t>({0, 0, 1, 1, 0, 1}, {6}),
  };
  tl::variable trunk(tl::stateless_normal({4, 5}, 142, 0.f, 0.3f), "trunk");
  std::vector<tl::variable> heads;
  for (int t = 0; t < tasks; ++t) heads.emplace_back(tl::stateless_normal({5, 2}, 150 + t, 0.f, 0.3f), "head");
  std::vector<tl::variable> vars{trunk};
  vars.insert(vars.end(), heads.begin(), heads.end());
  std::vector<double> task_weights{1.0, 1.0, 0.2};
  const std::vector<double> class_prior{0.5, 0.5};
  std::vector<tl::tensor> last_task_losses;  // "for TensorBoard"
  tl::optimizers::adam opt(0.02);

  auto step = tl::function([&](const tl::tensor& xb, const tl::tensor& y0, const tl::tensor& y1, const tl::tensor& y2) {
    const tl::tensor ys[] = {y0, y1, y2};
    tl::gradient_tape tape;
    auto h = tl::relu(tl::matmul(xb, trunk));
    auto prior = tl::log(tl::tensor::from_vector<float>({static_cast<float>(class_prior[0]), static_cast<float>(class_prior[1])}, {2}));
    std::vector<tl::tensor> per_task;
    tl::tensor total = tl::constant(0.0);
    for (int t = 0; t < tasks; ++t) {
      auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(h, heads[t]) + prior, ys[t]));
      last_task_losses.push_back(loss);  // ERROR[trace-tensor-leak]: symbolic per-task loss escapes the trace // WARN[trace-host-mutation]: symbolic per-task loss escapes the trace
      per_task.push_back(loss);
      total = total + loss * task_weights[t];
    }
    opt.apply_gradients(tape.gradient(total, vars), vars);
    per_task.push_back(total);
    return per_task;
  }, {.name = "multitask_step"});

  for (int epoch = 0; epoch < 4; ++epoch) {
    auto out = step(x, labels[0], labels[1], labels[2]);
    std::cout << "epoch " << epoch << " total " << out[3].item<float>() << " tasks";
    for (int t = 0; t < tasks; ++t) std::cout << " " << out[t].item<float>();
    std::cout << "\n";
    if (epoch == 1) task_weights[2] = 1.0;  // WARN[trace-stale-capture]: multitask_step baked weight 0.2 for task 2
  }
  std::cout << "leaked handles " << last_task_losses.size() << "\n";
  return 0;
}
