#pragma once
// Arithmetic with every result defined. Integer kernels wrap around (two's complement), as TF's
// int64 kernels do in practice; in C++ signed overflow is undefined behaviour, so the work is done in
// the unsigned type (whose conversion back is modular since C++20). A float that no integer
// represents (NaN, +-inf, out of range) saturates, and NaN becomes 0 (TF leaves that to the hardware).
#include <cstdint>
#include <limits>
#include <type_traits>

namespace tl::detail {

template <class T>
constexpr bool wraps = std::is_integral_v<T> && std::is_signed_v<T> && !std::is_same_v<T, bool>;

template <class T>
T wrapping_add(T a, T b) {
  if constexpr (wraps<T>)
    return static_cast<T>(static_cast<std::make_unsigned_t<T>>(a) + static_cast<std::make_unsigned_t<T>>(b));
  else
    return a + b;
}
template <class T>
T wrapping_sub(T a, T b) {
  if constexpr (wraps<T>)
    return static_cast<T>(static_cast<std::make_unsigned_t<T>>(a) - static_cast<std::make_unsigned_t<T>>(b));
  else
    return a - b;
}
template <class T>
T wrapping_mul(T a, T b) {
  if constexpr (wraps<T>)
    return static_cast<T>(static_cast<std::make_unsigned_t<T>>(a) * static_cast<std::make_unsigned_t<T>>(b));
  else
    return a * b;
}
template <class T>
T wrapping_neg(T a) {
  return wrapping_sub(T(0), a);
}

template <class D, class S>
D saturating_cast(S x) {
  if constexpr (std::is_floating_point_v<S> && std::is_integral_v<D> && !std::is_same_v<D, bool>) {
    if (x != x) return D(0);
    if (x >= static_cast<S>(std::numeric_limits<D>::max())) return std::numeric_limits<D>::max();
    if (x <= static_cast<S>(std::numeric_limits<D>::lowest())) return std::numeric_limits<D>::lowest();
  }
  return static_cast<D>(x);
}

}  // namespace tl::detail
