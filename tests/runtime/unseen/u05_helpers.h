#pragma once
// Helpers for u05_data_pipeline.cpp only: a tf.data-like batching pipeline and augmentation helpers.
#include <tl/tl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

struct PipelineConfig {
  double scale = 1.0;
  double shift = 0.0;
};

class Pipeline {
 public:
  Pipeline(tl::tensor x, tl::tensor y, std::int64_t batch)
      : x_(std::move(x)), y_(std::move(y)), batch_(batch), order_(static_cast<std::size_t>(x_.shape()[0])) {
    std::iota(order_.begin(), order_.end(), std::int64_t{0});
  }
  // Host shuffling between epochs: runs on the host, outside any trace.
  void shuffle(std::mt19937& rng) { std::shuffle(order_.begin(), order_.end(), rng); }
  std::int64_t num_batches() const { return static_cast<std::int64_t>(order_.size()) / batch_; }
  std::pair<tl::tensor, tl::tensor> batch(std::int64_t i) const {
    std::vector<std::int64_t> idx(order_.begin() + i * batch_, order_.begin() + (i + 1) * batch_);
    auto ind = tl::tensor::from_vector<std::int64_t>(idx, {batch_});
    return {tl::gather(x_, ind), tl::gather(y_, ind)};
  }

 private:
  tl::tensor x_, y_;
  std::int64_t batch_;
  std::vector<std::int64_t> order_;
};

// Both are called from inside the traced train step.
inline tl::tensor random_flip(const tl::tensor& x) {
  const double sign = (std::rand() % 2 == 0) ? 1.0 : -1.0;  // WARN[trace-host-random]: flipped (or not) once per trace
  return x * sign;
}

inline void log_batch(const tl::tensor& x) {
  std::printf("pipeline: batch of %lld rows\n", static_cast<long long>(x.shape()[0]));  // WARN[trace-host-io]
}
