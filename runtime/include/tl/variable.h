#pragma once
// tl::variable: state that lives across calls of a traced function. Reads and assignments inside a
// trace become graph operations, so they happen on every call; outside a trace they run at once.
#include <cstdint>
#include <memory>
#include <source_location>
#include <string>

#include "tl/tensor.h"

namespace tl {

namespace detail {
struct variable_state;
}

class variable {
 public:
  variable() = default;  // an empty handle, for the create-once pattern
  // Created inside a traced function, a variable is allowed on that function's first trace only
  // (TF's rule); a later trace that creates one throws tl::error.
  explicit variable(const tensor& initial_value, std::string name = {}, bool trainable = true,
                    std::source_location loc = std::source_location::current());

  bool defined() const { return state_ != nullptr; }
  tensor value(std::source_location loc = std::source_location::current()) const;
  operator tensor() const { return value(); }  // NOLINT(google-explicit-constructor): reads like TF

  void assign(const tensor& v, std::source_location loc = std::source_location::current()) const;
  void assign_add(const tensor& v, std::source_location loc = std::source_location::current()) const;
  void assign_sub(const tensor& v, std::source_location loc = std::source_location::current()) const;

  tl::dtype dtype() const;
  const shape_t& shape() const;
  const std::string& name() const;
  bool trainable() const;
  std::uint64_t id() const;
  detail::variable_state* state() const { return state_.get(); }

  friend bool operator==(const variable& a, const variable& b) { return a.state_ == b.state_; }

 private:
  std::shared_ptr<detail::variable_state> state_;
};

}  // namespace tl
