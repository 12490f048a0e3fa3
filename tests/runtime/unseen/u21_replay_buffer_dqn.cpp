// Imitates a DQN loop: replay buffer class in a header, traced TD update against a target network, periodic target sync.
// Hazards: trace-tensor-leak + trace-host-mutation (set_priorities in u21_helpers.h, called from the trace), trace-stale-capture (target weights held in a plain tensor and re-synced by rebinding).
// Must stay silent: buffer add/sample on the host with std::mt19937, a second target kept in a variable and synced by a traced sync function, gamma constant, epsilon-free greedy policy via tl::argmax.
#include <tl/tl.h>

#include <iostream>
#include <vector>

#include "u21_helpers.h"

int main() {
  const double gamma = 0.9;
  tl::variable q_w(tl::stateless_normal({3, 2}, 211, 0.f, 0.3f), "q_w");
  std::vector<tl::variable> vars{q_w};
  tl::tensor target_w = q_w.value();  // target network as a plain tensor
  tl::variable target_var(q_w.value(), "target_var", false);
  tl::optimizers::adam opt(0.02);
  ReplayBuffer buffer(16, 4);

  auto td_update = tl::function([&](const tl::tensor& s, const tl::tensor& a, const tl::tensor& r, const tl::tensor& s2) {
    tl::gradient_tape tape;
    auto q = tl::sum(tl::matmul(s, q_w) * tl::one_hot(a, 2), {-1});
    auto target = r + tl::max(tl::matmul(s2, target_w), {-1}) * gamma;
    auto td = target - q;
    auto loss = tl::mean(tl::square(td));
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    buffer.set_priorities(tl::abs(td));
    return loss;
  }, {.name = "td_update"});

  auto sync = tl::function([&]() { target_var.assign(q_w.value()); }, {.name = "sync_target"});
  auto target_gap = tl::function([&]() { return tl::sum(tl::abs(target_var.value() - q_w.value())); }, {.name = "target_gap"});

  auto state = tl::stateless_normal({1, 3}, 212);
  for (int episode = 0; episode < 6; ++episode) {
    for (int t = 0; t < 4; ++t) {
      auto action = tl::argmax(tl::matmul(state, q_w), -1);
      auto next = tl::tanh(state * 0.9 + tl::stateless_normal({1, 3}, 300 + episode * 4 + t, 0.f, 0.3f));
      auto reward = tl::neg(tl::sum(tl::square(next), {-1}));
      buffer.add({state, action, reward, next});
      state = next;
    }
    float loss = 0.f;
    if (buffer.size() >= 4) {
      auto batch = buffer.sample(4);
      loss = td_update(batch.states, batch.actions, batch.rewards, batch.next_states).item<float>();
    }
    if (episode % 2 == 1) {
      target_w = q_w.value();  // WARN[trace-stale-capture]: td_update keeps the target tensor it traced
      sync();
    }
    std::cout << "episode " << episode << " td loss " << loss << " gap " << target_gap().item<float>() << "\n";
  }
  std::cout << "buffer size " << buffer.size() << " td traces " << td_update.tracing_count() << "\n";
  return 0;
}
