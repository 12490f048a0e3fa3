#pragma once
// Helpers for u24_dataset_ragged.cpp only: a torch Dataset/DataLoader-like class with a ragged last batch.
#include <tl/tl.h>

#include <algorithm>
#include <cstdint>
#include <utility>

class Dataset {
 public:
  Dataset(tl::tensor x, tl::tensor y, std::int64_t batch)
      : x_(std::move(x)), y_(std::move(y)), n_(x_.shape()[0]), batch_(batch),
        mean_(tl::mean(x_, {0})), std_(tl::sqrt(tl::mean(tl::square(x_ - mean_), {0}) + 1e-6)) {}

  std::int64_t num_batches() const { return (n_ + batch_ - 1) / batch_; }

  // drop_last=false: the final batch is shorter.
  std::pair<tl::tensor, tl::tensor> get(std::int64_t i) const {
    const std::int64_t start = i * batch_;
    const std::int64_t len = std::min(batch_, n_ - start);
    return {tl::slice(x_, {start, 0}, {len, -1}), tl::slice(y_, {start}, {len})};
  }

  // Called from inside the traced steps.
  tl::tensor normalize(const tl::tensor& x) {
    last_rows_ = x.shape()[0];  // WARN[trace-host-mutation]: bookkeeping that only runs while tracing
    return (x - mean_) / std_;
  }
  std::int64_t last_rows() const { return last_rows_; }

 private:
  tl::tensor x_, y_;
  std::int64_t n_, batch_;
  tl::tensor mean_, std_;  // computed once at construction, never changed
  std::int64_t last_rows_ = 0;
};
