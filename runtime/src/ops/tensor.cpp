#include "tl/tensor.h"

#include <cstring>
#include <ostream>

#include "core/code_location.h"
#include "core/dispatch.h"
#include "core/format.h"
#include "core/observations.h"
#include "core/tensor_impl.h"
#include "tl/error.h"
#include "tracer/trace.h"

namespace tl {

namespace {
const detail::tensor_impl& need(const tensor& t, const char* what, const std::source_location& loc) {
  if (!t.defined())
    throw tl::error(std::string("tl::tensor::") + what + ": empty tensor (called at " + format_location(loc) + ")");
  return *t.impl();
}

// A host read needs a value; a symbolic tensor has none until the graph runs.
const detail::tensor_impl& need_concrete(const tensor& t, const char* what, const std::source_location& loc) {
  const auto& impl = need(t, what, loc);
  if (impl.symbolic()) {
    // A tensor of a trace that has ended escaped it: that is the hazard to name, not the read.
    detail::check_live(t, (std::string("tensor::") + what).c_str(), loc);
    auto* tr = detail::current_trace();
    std::string fn = tr ? "'" + tr->function_name + "'" : "a traced function";
    observation o;
    o.rule = "trace-host-read";
    o.function = tr ? tr->function_name : "";
    o.function_location = tr ? format_location(tr->function_created_at) : "";
    o.location = detail::format_call_location(loc);
    o.entity = what;
    o.message = std::string("tl::tensor::") + what + ": host read of a symbolic tensor (created at " +
                format_location(impl.loc) + ") while tracing " + fn +
                "; its value exists only when the graph runs. Keep the computation in tl ops, or use tl::where "
                "instead of a host branch (called at " +
                o.location + ")";
    detail::observe(o, false);
    throw hazard_error(std::move(o));
  }
  return impl;
}

template <class T>
void check_dtype(const detail::tensor_impl& impl, const char* what, const std::source_location& loc) {
  if (impl.type.type != dtype_of<T>()) {
    throw tl::error(std::string("tl::tensor::") + what + "<" + dtype_name(dtype_of<T>()) + ">: tensor is " +
                    dtype_name(impl.type.type) + shape_string(impl.type.shape) + " (called at " + format_location(loc) +
                    ")");
  }
}
}  // namespace

template <class T>
tensor tensor::from_vector(const std::vector<T>& values, shape_t shape, std::source_location loc) {
  for (auto d : shape) {
    if (d < 0)
      throw tl::error("tl::tensor::from_vector: negative dimension in " + shape_string(shape) + " (called at " +
                      format_location(loc) + ")");
  }
  auto n = num_elements(shape);
  if (n != static_cast<std::int64_t>(values.size())) {
    throw tl::error("tl::tensor::from_vector: " + std::to_string(values.size()) + " values do not fill shape " +
                    shape_string(shape) + " (" + std::to_string(n) + " elements) (called at " + format_location(loc) +
                    ")");
  }
  auto impl = detail::make_concrete({dtype_of<T>(), std::move(shape)});
  auto* p = static_cast<T*>(impl->data->data);
  for (std::size_t i = 0; i < values.size(); ++i) p[i] = values[i];
  impl->loc = loc;
  return tensor(std::move(impl));
}

dtype tensor::dtype() const { return need(*this, "dtype", std::source_location::current()).type.type; }
const shape_t& tensor::shape() const { return need(*this, "shape", std::source_location::current()).type.shape; }
std::int64_t tensor::size() const { return num_elements(shape()); }
bool tensor::is_symbolic() const { return defined() && impl_->symbolic(); }

template <class T>
T tensor::item(std::source_location loc) const {
  const auto& impl = need_concrete(*this, "item", loc);
  check_dtype<T>(impl, "item", loc);
  if (num_elements(impl.type.shape) != 1) {
    throw tl::error("tl::tensor::item: tensor " + shape_string(impl.type.shape) +
                    " does not hold exactly one element (called at " + format_location(loc) + ")");
  }
  return static_cast<const T*>(impl.data->data)[0];
}

template <class T>
std::vector<T> tensor::to_vector(std::source_location loc) const {
  const auto& impl = need_concrete(*this, "to_vector", loc);
  check_dtype<T>(impl, "to_vector", loc);
  const T* p = static_cast<const T*>(impl.data->data);
  return std::vector<T>(p, p + num_elements(impl.type.shape));
}

tensor::operator bool() const {
  // No location argument on a conversion: the caller's line comes from the return address.
  detail::operator_site site(__builtin_return_address(0));
  std::source_location loc{};
  const auto& impl = need_concrete(*this, "operator bool", loc);
  if (num_elements(impl.type.shape) != 1) {
    throw tl::error("tl::tensor::operator bool: the truth value of a tensor with shape " +
                    shape_string(impl.type.shape) + " is ambiguous");
  }
  bool out = false;
  detail::dispatch_all_value(impl.type.type, impl.data->data, [&](double v) { out = v != 0; });
  return out;
}

const void* tensor::raw_data(std::source_location loc) const {
  return need_concrete(*this, "raw_data", loc).data->data;
}

std::ostream& operator<<(std::ostream& os, const tensor& t) {
  if (!t.defined()) return os << "tl::tensor(<empty>)";
  const auto& impl = *t.impl();
  if (impl.symbolic()) {
    return os << "tl::tensor(<symbolic>, dtype=" << dtype_name(impl.type.type)
              << ", shape=" << shape_string(impl.type.shape) << ")";
  }
  os << "tl::tensor(";
  detail::format_values(os, impl.data->data, impl.type);
  return os << ", dtype=" << dtype_name(impl.type.type) << ", shape=" << shape_string(impl.type.shape) << ")";
}

bool tensor_spec::matches(const tensor& t) const {
  if (!t.defined() || t.dtype() != dtype || t.shape().size() != shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i)
    if (shape[i] != -1 && shape[i] != t.shape()[i]) return false;
  return true;
}

#define TL_INSTANTIATE(T)                                                                       \
  template tensor tensor::from_vector<T>(const std::vector<T>&, shape_t, std::source_location); \
  template T tensor::item<T>(std::source_location) const;                                       \
  template std::vector<T> tensor::to_vector<T>(std::source_location) const;
TL_INSTANTIATE(float)
TL_INSTANTIATE(std::int32_t)
TL_INSTANTIATE(std::int64_t)
TL_INSTANTIATE(bool)
#undef TL_INSTANTIATE

}  // namespace tl
