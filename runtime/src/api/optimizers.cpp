#include "tl/optimizers.h"

#include <cmath>

#include "tl/error.h"
#include "tl/ops.h"

namespace tl::optimizers {

void optimizer::apply_gradients(const std::vector<tensor>& grads, const std::vector<variable>& vars,
                                std::source_location loc) {
  if (grads.size() != vars.size()) {
    throw tl::error("tl::optimizers::apply_gradients: " + std::to_string(grads.size()) + " gradients for " +
                    std::to_string(vars.size()) + " variables");
  }
  before_step(loc);
  for (std::size_t i = 0; i < vars.size(); ++i) {
    if (!grads[i].defined()) continue;
    if (!vars[i].defined())
      throw tl::error("tl::optimizers::apply_gradients: empty variable handle at position " + std::to_string(i));
    apply_one(grads[i], vars[i], loc);
  }
}

const variable& optimizer::slot(const variable& var, const char* slot_name) {
  auto key = std::make_pair(var.id(), std::string(slot_name));
  auto it = slots_.find(key);
  if (it == slots_.end()) {
    it = slots_.emplace(key, variable(zeros(var.shape(), var.dtype()), var.name() + "/" + slot_name, false)).first;
  }
  return it->second;
}

void sgd::apply_one(const tensor& grad, const variable& var, const std::source_location& loc) {
  if (momentum == 0.0) {
    var.assign_sub(grad * learning_rate, loc);
    return;
  }
  const auto& m = slot(var, "momentum");
  auto velocity = m.value() * momentum - grad * learning_rate;
  m.assign(velocity, loc);
  var.assign_add(velocity, loc);
}

void adam::before_step(const std::source_location& loc) {
  if (!step_.defined()) step_ = variable(constant(0.0), "adam/iterations", false);
  step_.assign_add(constant(1.0), loc);
}

tensor adam::iterations() const { return step_.defined() ? step_.value() : constant(0.0); }

void adam::apply_one(const tensor& grad, const variable& var, const std::source_location& loc) {
  const auto& m = slot(var, "m");
  const auto& v = slot(var, "v");
  auto t = step_.value();
  auto m_new = m.value() * beta_1 + grad * (1.0 - beta_1);
  auto v_new = v.value() * beta_2 + square(grad) * (1.0 - beta_2);
  m.assign(m_new, loc);
  v.assign(v_new, loc);
  // Bias correction with the step count read when the graph runs, so replays use the current step.
  auto b1 = constant(beta_1);
  auto b2 = constant(beta_2);
  auto lr_t = sqrt(1.0 - pow(b2, t)) / (1.0 - pow(b1, t)) * learning_rate;
  var.assign_sub(lr_t * m_new / (sqrt(v_new) + epsilon), loc);
}

}  // namespace tl::optimizers
