#pragma once
// tl::tensor: an immutable value over shared storage. Outside a trace it is concrete (holds data);
// inside a trace, values computed from traced inputs are symbolic (a node of the graph being built)
// and cannot be read on the host.
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <source_location>
#include <vector>

#include "tl/dtype.h"

namespace tl {

namespace detail {
struct tensor_impl;
}

class tensor {
 public:
  tensor() = default;
  explicit tensor(std::shared_ptr<detail::tensor_impl> impl) : impl_(std::move(impl)) {}

  // Host data, copied. A scalar is shape {}.
  template <class T>
  static tensor from_vector(const std::vector<T>& values, shape_t shape,
                            std::source_location loc = std::source_location::current());
  template <class T>
  static tensor scalar(T value) {
    return from_vector<T>({value}, {});
  }

  bool defined() const { return impl_ != nullptr; }
  tl::dtype dtype() const;
  const shape_t& shape() const;
  std::int64_t rank() const { return static_cast<std::int64_t>(shape().size()); }
  std::int64_t size() const;  // number of elements; -1 when a dimension is unknown
  bool is_symbolic() const;   // true for a value of a graph under construction

  // Host reads: only on concrete tensors. Inside a trace they throw (the value does not exist yet).
  template <class T>
  T item(std::source_location loc = std::source_location::current()) const;
  template <class T>
  std::vector<T> to_vector(std::source_location loc = std::source_location::current()) const;
  explicit operator bool() const;  // host branch on a tensor: a host read

  const void* raw_data(std::source_location loc = std::source_location::current()) const;
  detail::tensor_impl* impl() const { return impl_.get(); }
  const std::shared_ptr<detail::tensor_impl>& impl_ptr() const { return impl_; }

 private:
  std::shared_ptr<detail::tensor_impl> impl_;
};

std::ostream& operator<<(std::ostream& os, const tensor& t);

// Input signatures: unknown dimensions are -1.
struct tensor_spec {
  shape_t shape;
  tl::dtype dtype = tl::dtype::float32;
  bool matches(const tensor& t) const;
};

}  // namespace tl
