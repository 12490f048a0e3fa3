#pragma once
// Reverse-mode autodiff. While a tape is alive on a thread, the ops that thread runs (eagerly or
// into a trace) are recorded; gradient() builds the backward ops, which inside a trace are graph ops.
#include <memory>
#include <vector>

#include "tl/tensor.h"
#include "tl/variable.h"

namespace tl {

namespace detail {
struct tape_state;
}

class gradient_tape {
 public:
  gradient_tape();
  ~gradient_tape();
  gradient_tape(const gradient_tape&) = delete;
  gradient_tape& operator=(const gradient_tape&) = delete;

  void watch(const tensor& t);
  // Trainable variables read while the tape records are watched automatically. A source the target
  // does not depend on gets a zero gradient of its shape.
  std::vector<tensor> gradient(const tensor& target, const std::vector<variable>& sources);
  std::vector<tensor> gradient(const tensor& target, const std::vector<tensor>& sources);

 private:
  std::unique_ptr<detail::tape_state> state_;
};

}  // namespace tl
