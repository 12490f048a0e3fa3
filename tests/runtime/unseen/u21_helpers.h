#pragma once
// Helpers for u21_replay_buffer_dqn.cpp only: a DQN-style replay buffer with priorities.
#include <tl/tl.h>

#include <cstddef>
#include <deque>
#include <random>
#include <vector>

struct Transition {
  tl::tensor state, action, reward, next_state;
};

struct Batch {
  tl::tensor states, actions, rewards, next_states;
};

class ReplayBuffer {
 public:
  ReplayBuffer(std::size_t capacity, unsigned seed) : capacity_(capacity), rng_(seed) {}

  // Host side, between traced calls: stores concrete tensors.
  void add(Transition t) {
    if (items_.size() == capacity_) items_.pop_front();
    items_.push_back(std::move(t));
  }
  std::size_t size() const { return items_.size(); }

  Batch sample(std::size_t n) {
    std::uniform_int_distribution<std::size_t> pick(0, items_.size() - 1);
    std::vector<tl::tensor> s, a, r, s2;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& t = items_[pick(rng_)];
      s.push_back(t.state);
      a.push_back(t.action);
      r.push_back(t.reward);
      s2.push_back(t.next_state);
    }
    return {tl::concat(s, 0), tl::concat(a, 0), tl::concat(r, 0), tl::concat(s2, 0)};
  }

  // Meant to keep the latest TD errors for prioritized sampling; the traced update calls it.
  void set_priorities(const tl::tensor& td_errors) {
    priorities_ = td_errors;  // ERROR[trace-tensor-leak]: symbolic TD errors stored in the buffer // WARN[trace-host-mutation]: symbolic TD errors stored in the buffer
  }

 private:
  std::size_t capacity_;
  std::mt19937 rng_;
  std::deque<Transition> items_;
  tl::tensor priorities_;
};
