#pragma once
// Runs a generic lambda `f.template operator()<T>()` with T the C++ type of a dtype.
#include <array>
#include <cstdint>
#include <vector>

#include "tl/dtype.h"
#include "tl/error.h"

namespace tl::detail {

template <class F>
void dispatch_all(dtype t, F&& f) {
  switch (t) {
    case dtype::float32:
      f.template operator()<float>();
      return;
    case dtype::int32:
      f.template operator()<std::int32_t>();
      return;
    case dtype::int64:
      f.template operator()<std::int64_t>();
      return;
    case dtype::bool_:
      f.template operator()<bool>();
      return;
  }
}

template <class F>
void dispatch_numeric(dtype t, F&& f) {
  switch (t) {
    case dtype::float32:
      f.template operator()<float>();
      return;
    case dtype::int32:
      f.template operator()<std::int32_t>();
      return;
    case dtype::int64:
      f.template operator()<std::int64_t>();
      return;
    case dtype::bool_:
      throw tl::error("tl: internal: numeric kernel called on bool");
  }
}

template <class F>
void dispatch_integer(dtype t, F&& f) {
  switch (t) {
    case dtype::int32:
      f.template operator()<std::int32_t>();
      return;
    case dtype::int64:
      f.template operator()<std::int64_t>();
      return;
    default:
      throw tl::error("tl: internal: integer kernel called on a non-integer dtype");
  }
}

inline std::int64_t read_index(const void* data, dtype t, std::int64_t i) {
  return t == dtype::int32 ? static_cast<const std::int32_t*>(data)[i] : static_cast<const std::int64_t*>(data)[i];
}

}  // namespace tl::detail

namespace tl::detail {
// Reads element 0 of a buffer of dtype t as a double.
template <class F>
void dispatch_all_value(dtype t, const void* data, F&& f) {
  dispatch_all(t, [&]<class T>() { f(static_cast<double>(static_cast<const T*>(data)[0])); });
}
}  // namespace tl::detail
