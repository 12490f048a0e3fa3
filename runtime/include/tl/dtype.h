#pragma once
// Element types and shapes: the vocabulary every other tl header uses.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tl {

enum class dtype : std::uint8_t { float32, int32, int64, bool_ };

using shape_t = std::vector<std::int64_t>;

std::size_t dtype_size(dtype t);
const char* dtype_name(dtype t);
std::string shape_string(const shape_t& s);   // "[2, 3]"; unknown dimensions print as "?"
std::int64_t num_elements(const shape_t& s);  // -1 when a dimension is unknown

template <class T>
constexpr dtype dtype_of();
template <>
constexpr dtype dtype_of<float>() {
  return dtype::float32;
}
template <>
constexpr dtype dtype_of<std::int32_t>() {
  return dtype::int32;
}
template <>
constexpr dtype dtype_of<std::int64_t>() {
  return dtype::int64;
}
template <>
constexpr dtype dtype_of<bool>() {
  return dtype::bool_;
}

}  // namespace tl
