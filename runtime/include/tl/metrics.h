#pragma once
// Metrics keep their state in variables, so update_state inside a traced function runs on every
// call (the seeds' claim that it does not is wrong under real tf.function semantics).
#include <source_location>

#include "tl/tensor.h"
#include "tl/variable.h"

namespace tl::metrics {

class metric {
 public:
  virtual ~metric() = default;
  tensor result() const;
  void reset_state() const;

 protected:
  // The location names where a variable was created in create-once errors.
  explicit metric(std::source_location loc);
  void accumulate(const tensor& total_delta, const tensor& count_delta) const;
  variable total_;
  variable count_;
  bool divide_ = true;
};

class mean : public metric {
 public:
  explicit mean(std::source_location loc = std::source_location::current()) : metric(loc) {}
  void update_state(const tensor& values) const;
};

class sum : public metric {
 public:
  explicit sum(std::source_location loc = std::source_location::current()) : metric(loc) { divide_ = false; }
  void update_state(const tensor& values) const;
};

// Fraction of positions where y_pred equals y_true.
class accuracy : public metric {
 public:
  explicit accuracy(std::source_location loc = std::source_location::current()) : metric(loc) {}
  void update_state(const tensor& y_true, const tensor& y_pred) const;
};

// Fraction of rows whose argmax over the last axis of y_pred equals the integer label.
class sparse_categorical_accuracy : public metric {
 public:
  explicit sparse_categorical_accuracy(std::source_location loc = std::source_location::current()) : metric(loc) {}
  void update_state(const tensor& labels, const tensor& y_pred) const;
};

}  // namespace tl::metrics
