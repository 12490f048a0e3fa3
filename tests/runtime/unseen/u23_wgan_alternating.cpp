// Imitates a WGAN loop: separate traced critic and generator steps alternated n_critic:1, weight clipping after each critic step, hyperparameters in a std::map.
// Hazards: trace-update-outside (critic weights clipped eagerly in the loop that calls critic_step), trace-stale-capture (hp["penalty"] changed after critic_step baked it).
// Must stay silent: two Adam optimizers applied inside their own traced steps, latent noise from a tl::random_generator, hp["g_scale"] read by the trace but never changed, losses read on the host.
#include <tl/tl.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

int main() {
  std::map<std::string, double> hp{{"penalty", 1.0}, {"g_scale", 1.0}, {"clip", 0.5}};
  const int n_critic = 3;
  tl::variable gw(tl::fill({1, 1}, 0.3), "gen_w"), gb(tl::zeros({1}), "gen_b");
  tl::variable cw(tl::fill({1, 1}, 0.2), "critic_w"), cb(tl::zeros({1}), "critic_b");
  std::vector<tl::variable> g_vars{gw, gb}, c_vars{cw, cb};
  tl::optimizers::adam g_opt(0.02), c_opt(0.02);
  tl::random_generator latent(231);

  auto generate = [&](const tl::tensor& z) { return (tl::matmul(z, gw) + gb.value()) * hp.at("g_scale"); };
  auto critic = [&](const tl::tensor& v) { return tl::matmul(v, cw) + cb.value(); };

  auto critic_step = tl::function([&](const tl::tensor& real) {
    auto z = latent.normal({6, 1});
    tl::gradient_tape tape;
    auto loss = tl::mean(critic(generate(z))) - tl::mean(critic(real)) +
                tl::mean(tl::square(cw.value())) * hp.at("penalty");
    c_opt.apply_gradients(tape.gradient(loss, c_vars), c_vars);
    return loss;
  }, {.name = "critic_step"});

  auto generator_step = tl::function([&]() {
    auto z = latent.normal({6, 1});
    tl::gradient_tape tape;
    auto loss = tl::neg(tl::mean(critic(generate(z))));
    g_opt.apply_gradients(tape.gradient(loss, g_vars), g_vars);
    return loss;
  }, {.name = "generator_step"});

  const double clip = hp.at("clip");
  for (int epoch = 0; epoch < 4; ++epoch) {
    float c_loss = 0.f;
    for (int k = 0; k < n_critic; ++k) {
      auto real = tl::stateless_normal({6, 1}, 240 + epoch * n_critic + k, 2.f, 0.5f);
      c_loss += critic_step(real).item<float>();
      for (const auto& v : c_vars) v.assign(tl::minimum(tl::maximum(v.value(), tl::constant(-clip)), tl::constant(clip)));  // NOTE[trace-update-outside]: eager clipping of variables critic_step reads
    }
    const float g_loss = generator_step().item<float>();
    std::cout << "epoch " << epoch << " critic " << c_loss / n_critic << " generator " << g_loss << "\n";
    if (epoch == 1) hp["penalty"] = 0.1;  // WARN[trace-stale-capture]: critic_step keeps penalty 1.0
  }
  std::cout << "critic w " << cw.value().item<float>() << " gen w " << gw.value().item<float>() << " draws " << latent.draws()
            << "\n";
  return 0;
}
