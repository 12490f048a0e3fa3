// Imitates a DataLoader with drop_last=false feeding a traced train step (the ragged last batch), next to the same step with an input_signature.
// Hazards: trace-shape-retrace (ragged last batch from Dataset::get in u24_helpers.h, at the call), trace-host-mutation (Dataset::normalize in u24_helpers.h).
// Must stay silent: a step with input_signature {-1, 3} fed the same ragged batches, normalization statistics computed once in the constructor, sgd applied in the trace.
#include <tl/tl.h>

#include <iostream>
#include <vector>

#include "u24_helpers.h"

int main() {
  auto x = tl::stateless_normal({10, 3}, 241, 1.f, 2.f);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 1, 1, 0, 1, 0, 0, 1, 1, 0}, {10});
  Dataset ds(x, y, 4);
  tl::variable w(tl::zeros({3, 2}), "w"), w_sig(tl::zeros({3, 2}), "w_sig");
  tl::optimizers::sgd opt(0.3);

  auto make_step = [&](const tl::variable& weights) {
    return [&, weights](const tl::tensor& xb, const tl::tensor& yb) {
      tl::gradient_tape tape;
      auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(ds.normalize(xb), weights), yb));
      std::vector<tl::variable> vars{weights};
      opt.apply_gradients(tape.gradient(loss, vars), vars);
      return loss;
    };
  };
  auto step = tl::function(make_step(w), {.name = "ragged_step"});
  auto step_sig = tl::function(make_step(w_sig), {.name = "ragged_step_sig",
                                                  .input_signature = std::vector<tl::tensor_spec>{
                                                      {{-1, 3}, tl::dtype::float32}, {{-1}, tl::dtype::int64}}});

  for (int epoch = 0; epoch < 3; ++epoch) {
    float a = 0.f, b = 0.f;
    for (std::int64_t i = 0; i < ds.num_batches(); ++i) {
      auto [xb, yb] = ds.get(i);
      a += step(xb, yb).item<float>();  // WARN[trace-shape-retrace]: the last batch has 2 rows
      b += step_sig(xb, yb).item<float>();
    }
    std::cout << "epoch " << epoch << " loss " << a / ds.num_batches() << " loss(sig) " << b / ds.num_batches() << "\n";
  }
  std::cout << "traces " << step.tracing_count() << " / " << step_sig.tracing_count() << ", last rows seen by host "
            << ds.last_rows() << "\n";
  return 0;
}
