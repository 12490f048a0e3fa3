// Imitates an RL loop (REINFORCE on a toy environment, Stable-Baselines-like shape): traced act / env_step / train_step functions called per step and per episode.
// Hazards: trace-stale-capture (epsilon decayed after 'act' baked it), trace-host-random (env noise drawn with <random> while tracing), trace-scalar-retrace (episode index passed as a host int).
// Must stay silent: exploration draws from a tl::random_generator, 'greedy' bool flag (two traces), gamma fixed for the whole run, discounted returns computed on the host from concrete rewards.
#include <tl/tl.h>

#include <iostream>
#include <random>
#include <vector>

int main() {
  const std::int64_t envs = 4;
  const double gamma = 0.9;
  double epsilon = 0.5;
  tl::variable pw(tl::stateless_normal({2, 2}, 81, 0.f, 0.1f), "policy_w");
  std::vector<tl::variable> vars{pw};
  tl::optimizers::sgd opt(0.1);
  tl::random_generator explore(9);

  auto act = tl::function([&](const tl::tensor& obs, bool greedy) {
    auto best = tl::argmax(tl::matmul(obs, pw), -1);
    if (greedy) return best;
    auto u = explore.uniform({envs});
    auto random_action = tl::cast(explore.uniform({envs}, 0.f, 1.999f), tl::dtype::int64);
    return tl::where(tl::less(u, tl::constant(epsilon)), random_action, best);
  }, {.name = "act"});

  auto env_step = tl::function([&](const tl::tensor& state, const tl::tensor& action) {
    std::mt19937 env_rng(3);
    std::uniform_real_distribution<double> unif(0.0, 1.0);
    const double noise = unif(env_rng) * 0.1;  // WARN[trace-host-random]: the "stochastic" env is frozen at trace time
    auto push = tl::one_hot(action, 2) * 2.0 - 1.0;
    auto next = state * 0.8 + push * 0.2 + noise;
    auto reward = tl::neg(tl::sum(tl::square(next), {-1}));
    return std::make_pair(next, reward);
  }, {.name = "env_step"});

  auto train_step = tl::function([&](const tl::tensor& obs, const tl::tensor& actions, const tl::tensor& returns,
                                     int episode) {
    tl::gradient_tape tape;
    auto logp = tl::sum(tl::log_softmax(tl::matmul(obs, pw)) * tl::one_hot(actions, 2), {-1});
    const double entropy_scale = 1.0 / (1.0 + episode);
    auto probs = tl::softmax(tl::matmul(obs, pw));
    auto entropy = tl::neg(tl::mean(tl::sum(probs * tl::log(probs + 1e-6), {-1})));
    auto loss = tl::neg(tl::mean(logp * returns)) - entropy * entropy_scale;
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    return loss;
  }, {.name = "reinforce_step"});

  for (int episode = 0; episode < 4; ++episode) {
    const bool greedy = episode == 3;
    auto state = tl::stateless_normal({envs, 2}, 100);
    std::vector<tl::tensor> states, actions;
    std::vector<std::vector<float>> rewards;
    for (int t = 0; t < 3; ++t) {
      auto a = act(state, greedy);
      auto [next, r] = env_step(state, a);
      states.push_back(state);
      actions.push_back(a);
      rewards.push_back(r.to_vector<float>());
      state = next;
    }
    float ret_sum = 0.f, loss_sum = 0.f;
    std::vector<float> g(envs, 0.f);
    for (int t = 2; t >= 0; --t) {
      for (std::int64_t e = 0; e < envs; ++e) g[e] = rewards[t][e] + static_cast<float>(gamma) * g[e];
      auto ret = tl::tensor::from_vector<float>(g, {envs});
      loss_sum += train_step(states[t], actions[t], ret, episode).item<float>();  // WARN[trace-scalar-retrace]: new episode value, new trace
      ret_sum += g[0];
    }
    std::cout << "episode " << episode << " return(env0) " << ret_sum << " loss " << loss_sum / 3 << "\n";
    epsilon *= 0.7;  // WARN[trace-stale-capture]: 'act' keeps the epsilon it traced with
  }
  std::cout << "exploration draws " << explore.draws() << " reinforce traces " << train_step.tracing_count() << "\n";
  return 0;
}
