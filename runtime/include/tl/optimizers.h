#pragma once
// Optimizers. apply_gradients runs eagerly or, inside a traced function, as graph ops. Slot
// variables (momentum, Adam moments) are created on first use, which inside a traced function is
// its first trace.
#include <cstdint>
#include <map>
#include <source_location>
#include <vector>

#include "tl/tensor.h"
#include "tl/variable.h"

namespace tl::optimizers {

class optimizer {
 public:
  virtual ~optimizer() = default;
  // `loc`: the caller's statement, which the updates' hazard observations name.
  void apply_gradients(const std::vector<tensor>& grads, const std::vector<variable>& vars,
                       std::source_location loc = std::source_location::current());

 protected:
  // `loc`: the apply_gradients call, named by the updates (not kept: the optimizer is not written
  // while tracing, so it stays free of host mutations).
  virtual void apply_one(const tensor& grad, const variable& var, const std::source_location& loc) = 0;
  virtual void before_step(const std::source_location&) {}
  const variable& slot(const variable& var, const char* slot_name);

 private:
  std::map<std::pair<std::uint64_t, std::string>, variable> slots_;
};

class sgd : public optimizer {
 public:
  explicit sgd(double learning_rate = 0.01, double momentum = 0.0) : learning_rate(learning_rate), momentum(momentum) {}
  // Host values: read while tracing and baked into the graph.
  double learning_rate;
  double momentum;

 protected:
  void apply_one(const tensor& grad, const variable& var, const std::source_location& loc) override;
};

class adam : public optimizer {
 public:
  explicit adam(double learning_rate = 0.001, double beta_1 = 0.9, double beta_2 = 0.999, double epsilon = 1e-7)
      : learning_rate(learning_rate), beta_1(beta_1), beta_2(beta_2), epsilon(epsilon) {}
  double learning_rate, beta_1, beta_2, epsilon;
  tensor iterations() const;

 protected:
  void apply_one(const tensor& grad, const variable& var, const std::source_location& loc) override;
  void before_step(const std::source_location& loc) override;

 private:
  variable step_;
};

}  // namespace tl::optimizers
