// Imitates a DCGAN-style train_step (TF "GAN" tutorial shape, 1-D): one traced step, two tapes, two Adam optimizers.
// Hazards: trace-host-random (label-smoothing jitter drawn with <random> while tracing), trace-host-mutation (disc_updates counter).
// Must stay silent: latent noise from a tl::random_generator, both optimizers applied in the trace (slots made on the first trace), loss metrics updated in the trace, host RNG used outside the trace to build real data.
#include <tl/tl.h>

#include <iostream>
#include <random>
#include <utility>
#include <vector>

int main() {
  tl::variable gw(tl::fill({1, 1}, 0.5), "gen_w"), gb(tl::zeros({1}), "gen_b");
  tl::variable dw(tl::fill({1, 1}, 0.1), "disc_w"), db(tl::zeros({1}), "disc_b");
  std::vector<tl::variable> g_vars{gw, gb};
  std::vector<tl::variable> d_vars{dw, db};
  tl::optimizers::adam g_opt(0.05), d_opt(0.05);
  tl::metrics::mean d_loss_metric, g_loss_metric;
  tl::random_generator latent(123);
  std::mt19937 host_rng(7);
  int disc_updates = 0;

  auto train_step = tl::function([&](const tl::tensor& real) {
    auto z = latent.normal({8, 1});
    std::mt19937 smooth_rng(17);  // "seeded for reproducibility"
    std::normal_distribution<double> jitter(0.0, 0.05);
    const double smooth = 0.9 + jitter(smooth_rng);  // WARN[trace-host-random]: one draw per trace, frozen into the graph
    tl::tensor d_loss, g_loss;
    {
      tl::gradient_tape tape;
      auto fake = tl::matmul(z, gw) + gb.value();
      auto d_real = tl::matmul(real, dw) + db.value();
      auto d_fake = tl::matmul(fake, dw) + db.value();
      d_loss = tl::mean(tl::softplus(-d_real) * smooth + tl::softplus(d_real) * (1.0 - smooth)) +
               tl::mean(tl::softplus(d_fake));
      d_opt.apply_gradients(tape.gradient(d_loss, d_vars), d_vars);
    }
    ++disc_updates;  // WARN[trace-host-mutation]: runs once per trace
    {
      tl::gradient_tape tape;
      auto fake = tl::matmul(z, gw) + gb.value();
      g_loss = tl::mean(tl::softplus(-(tl::matmul(fake, dw) + db.value())));
      g_opt.apply_gradients(tape.gradient(g_loss, g_vars), g_vars);
    }
    d_loss_metric.update_state(d_loss);
    g_loss_metric.update_state(g_loss);
    return std::make_pair(d_loss, g_loss);
  }, {.name = "gan_step"});

  // Real samples around 3.0, made on the host before each step (host RNG outside the trace).
  std::normal_distribution<float> real_dist(3.f, 0.5f);
  for (int epoch = 0; epoch < 4; ++epoch) {
    float d_sum = 0.f, g_sum = 0.f;
    for (int it = 0; it < 3; ++it) {
      std::vector<float> batch(8);
      for (auto& v : batch) v = real_dist(host_rng);
      auto [d, g] = train_step(tl::tensor::from_vector<float>(batch, {8, 1}));
      d_sum += d.item<float>();
      g_sum += g.item<float>();
    }
    std::cout << "epoch " << epoch << " d_loss " << d_sum / 3 << " g_loss " << g_sum / 3 << "\n";
  }
  std::cout << "running d " << d_loss_metric.result().item<float>() << " g " << g_loss_metric.result().item<float>()
            << " disc_updates(host)=" << disc_updates << " latent draws=" << latent.draws() << "\n";
  return 0;
}
