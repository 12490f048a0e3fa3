// Imitates a tf.data-style input pipeline class feeding a traced train step with augmentation helpers in a header.
// Hazards: trace-host-random and trace-host-io in u05_helpers.h (helpers reached from the trace), trace-stale-capture (cfg.scale annealed after tracing).
// Must stay silent: host shuffling with std::mt19937 between epochs, normalization stats computed before the first call (cfg.shift never changes), gather-based fixed-size batches, Adam applied in the trace.
#include <tl/tl.h>

#include <iostream>
#include <random>
#include <vector>

#include "u05_helpers.h"

int main() {
  auto x = tl::stateless_normal({12, 3}, 51, 2.f, 3.f);
  auto y = tl::tensor::from_vector<std::int64_t>({0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0}, {12});
  Pipeline pipe(x, y, 4);
  std::mt19937 rng(5);

  PipelineConfig cfg;
  cfg.shift = tl::mean(x).item<float>();  // statistics taken once, before the first traced call
  cfg.scale = 1.0 / 3.0;

  tl::variable w(tl::zeros({3, 2}), "w"), b(tl::zeros({2}), "b");
  std::vector<tl::variable> vars{w, b};
  tl::optimizers::adam opt(0.05);

  auto train_step = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    log_batch(xb);
    auto xn = (random_flip(xb) - cfg.shift) * cfg.scale;
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(tl::matmul(xn, w) + b.value(), yb));
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    return loss;
  }, {.name = "pipeline_step"});

  for (int epoch = 0; epoch < 3; ++epoch) {
    pipe.shuffle(rng);
    float total = 0.f;
    for (std::int64_t i = 0; i < pipe.num_batches(); ++i) {
      auto [xb, yb] = pipe.batch(i);
      total += train_step(xb, yb).item<float>();
    }
    std::cout << "epoch " << epoch << " loss " << total / pipe.num_batches() << "\n";
    cfg.scale *= 0.9;  // WARN[trace-stale-capture]: input scale annealed, but pipeline_step baked the first value
  }
  std::cout << "traces=" << train_step.tracing_count() << " scale=" << cfg.scale << "\n";
  return 0;
}
