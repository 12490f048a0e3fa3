#pragma once
// Helpers for u15_custom_layers.cpp only: Keras-like layers that build their weights lazily.
#include <tl/tl.h>

#include <cstdint>
#include <vector>

class Dense {  // build() behind an if on built_: create-once
 public:
  Dense(std::int64_t units, std::uint64_t seed) : units_(units), seed_(seed) {}
  tl::tensor operator()(const tl::tensor& x) {
    if (!built_) {
      w_ = tl::variable(tl::stateless_normal({x.shape()[1], units_}, seed_, 0.f, 0.3f), "dense_w");
      b_ = tl::variable(tl::zeros({units_}), "dense_b");
      built_ = true;
    }
    return tl::matmul(x, w_) + b_.value();
  }
  std::vector<tl::variable> trainable() const { return {w_, b_}; }

 private:
  std::int64_t units_;
  std::uint64_t seed_;
  bool built_ = false;
  tl::variable w_, b_;
};

class LayerScale {  // builds with an early return: still made once
 public:
  tl::tensor operator()(const tl::tensor& x) {
    build(x);
    return x * gamma_.value();
  }
  std::vector<tl::variable> trainable() const { return {gamma_}; }

 private:
  void build(const tl::tensor& x) {
    if (gamma_.defined()) return;
    gamma_ = tl::variable(tl::ones({x.shape()[1]}), "gamma");
  }
  tl::variable gamma_;
};

class ShiftLayer {  // makes its bias on every call
 public:
  tl::tensor operator()(const tl::tensor& x) {
    ++calls_;  // WARN[trace-host-mutation]: counted once per trace
    bias_ = tl::variable(tl::fill({x.shape()[1]}, 0.1), "shift_bias");  // WARN[trace-variable-creation]: no create-once guard
    return x + bias_.value();
  }
  int calls() const { return calls_; }

 private:
  int calls_ = 0;
  tl::variable bias_;
};
