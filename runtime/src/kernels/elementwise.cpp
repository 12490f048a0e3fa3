// Elementwise kernels: unary math, binary arithmetic and comparisons with NumPy broadcasting,
// where, cast, fills.
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "core/dispatch.h"
#include "kernels/arith.h"
#include "kernels/kernels.h"
#include "tl/error.h"

namespace tl::detail {

void broadcast_strides(const shape_t& shape, const shape_t& out_shape, std::int64_t* strides) {
  auto r = out_shape.size();
  auto off = r - shape.size();
  std::int64_t stride = 1;
  for (std::size_t i = r; i-- > 0;) {
    if (i < off) {
      strides[i] = 0;
      continue;
    }
    auto d = shape[i - off];
    strides[i] = (d == 1 && out_shape[i] != 1) ? 0 : stride;
    stride *= d;
  }
}

namespace {

// Calls body(row_offsets..., row_start, row_len) for each innermost row of the output, with the
// offset of that row's first element in each operand. Rows are spread over threads when large.
template <std::size_t N, class Body>
void for_each_row(const shape_t& out_shape, const std::array<const shape_t*, N>& shapes, Body body) {
  auto r = out_shape.size();
  if (r == 0) {
    std::array<std::int64_t, N> offs{};
    body(offs, 0, 1, std::array<std::int64_t, N>{});
    return;
  }
  std::array<std::array<std::int64_t, 8>, N> strides{};
  std::vector<std::int64_t> big;
  if (r > 8) throw tl::error("tl: elementwise ops support rank <= 8, got rank " + std::to_string(r));
  for (std::size_t j = 0; j < N; ++j) broadcast_strides(*shapes[j], out_shape, strides[j].data());
  std::int64_t inner = out_shape[r - 1];
  std::int64_t rows = inner == 0 ? 0 : num_elements(out_shape) / inner;
  std::array<std::int64_t, N> inner_stride;
  for (std::size_t j = 0; j < N; ++j) inner_stride[j] = strides[j][r - 1];
  parallel_range(rows * inner >= kParallelThreshold, rows, [&](std::int64_t first, std::int64_t last) {
    for (std::int64_t row = first; row < last; ++row) {
      std::array<std::int64_t, N> offs{};
      std::int64_t rem = row;
      for (std::size_t d = r - 1; d-- > 0;) {
        auto c = rem % out_shape[d];
        rem /= out_shape[d];
        for (std::size_t j = 0; j < N; ++j) offs[j] += c * strides[j][d];
      }
      body(offs, row * inner, inner, inner_stride);
    }
  });
}

template <class T, class R, class F>
void binary_apply(const buffer& a, const buffer& b, const buffer& out, F f) {
  const T* x = a.as<T>();
  const T* y = b.as<T>();
  R* z = out.as<R>();
  std::int64_t n = out.size;
  bool par = n >= kParallelThreshold;
  if (a.size == n && b.size == n) {
    parallel_range(par, n, [&](std::int64_t lo, std::int64_t hi) {
#pragma omp simd
      for (std::int64_t i = lo; i < hi; ++i) z[i] = f(x[i], y[i]);
    });
  } else if (b.size == 1 && a.size == n) {
    T s = y[0];
    parallel_range(par, n, [&](std::int64_t lo, std::int64_t hi) {
#pragma omp simd
      for (std::int64_t i = lo; i < hi; ++i) z[i] = f(x[i], s);
    });
  } else if (a.size == 1 && b.size == n) {
    T s = x[0];
    parallel_range(par, n, [&](std::int64_t lo, std::int64_t hi) {
#pragma omp simd
      for (std::int64_t i = lo; i < hi; ++i) z[i] = f(s, y[i]);
    });
  } else {
    for_each_row<2>(*out.shape, {a.shape, b.shape},
                    [&](const std::array<std::int64_t, 2>& o, std::int64_t start, std::int64_t len,
                        const std::array<std::int64_t, 2>& st) {
                      for (std::int64_t i = 0; i < len; ++i) z[start + i] = f(x[o[0] + i * st[0]], y[o[1] + i * st[1]]);
                    });
  }
}

template <class T, class F>
void unary_apply(const buffer& a, const buffer& out, F f) {
  const T* x = a.as<T>();
  T* z = out.as<T>();
  std::int64_t n = out.size;
  parallel_range(n >= kParallelThreshold, n, [&](std::int64_t lo, std::int64_t hi) {
#pragma omp simd
    for (std::int64_t i = lo; i < hi; ++i) z[i] = f(x[i]);
  });
}

template <class T>
T safe_div(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    if (b == -1) return wrapping_neg(a);  // INT64_MIN / -1 overflows
    return b == 0 ? T(0) : a / b;         // integer division by zero yields 0 instead of a trap
  } else {
    return a / b;
  }
}

void k_binary(const node& n, const buffer* in, const buffer& out) {
  dispatch_numeric(in[0].type, [&]<class T>() {
    switch (n.kind) {
      case op_kind::add:
        return binary_apply<T, T>(in[0], in[1], out, [](T a, T b) { return wrapping_add(a, b); });
      case op_kind::sub:
        return binary_apply<T, T>(in[0], in[1], out, [](T a, T b) { return wrapping_sub(a, b); });
      case op_kind::mul:
        return binary_apply<T, T>(in[0], in[1], out, [](T a, T b) { return wrapping_mul(a, b); });
      case op_kind::div:
        return binary_apply<T, T>(in[0], in[1], out, [](T a, T b) { return safe_div(a, b); });
      case op_kind::pow:
        return binary_apply<T, T>(in[0], in[1], out, [](T a, T b) { return saturating_cast<T>(std::pow(a, b)); });
      case op_kind::maximum:
        return binary_apply<T, T>(in[0], in[1], out,
                                  [](T a, T b) { return a > b || a != a ? a : b; });  // NaN wins, as in TF
      case op_kind::minimum:
        return binary_apply<T, T>(in[0], in[1], out, [](T a, T b) { return a < b || a != a ? a : b; });
      case op_kind::relu_grad:
        return binary_apply<T, T>(in[0], in[1], out, [](T g, T x) { return x > T(0) ? g : T(0); });
      default:
        break;
    }
  });
}

void k_compare(const node& n, const buffer* in, const buffer& out) {
  dispatch_all(in[0].type, [&]<class T>() {
    switch (n.kind) {
      case op_kind::equal:
        return binary_apply<T, bool>(in[0], in[1], out, [](T a, T b) { return a == b; });
      case op_kind::not_equal:
        return binary_apply<T, bool>(in[0], in[1], out, [](T a, T b) { return a != b; });
      case op_kind::less:
        return binary_apply<T, bool>(in[0], in[1], out, [](T a, T b) { return a < b; });
      case op_kind::less_equal:
        return binary_apply<T, bool>(in[0], in[1], out, [](T a, T b) { return a <= b; });
      case op_kind::greater:
        return binary_apply<T, bool>(in[0], in[1], out, [](T a, T b) { return a > b; });
      case op_kind::greater_equal:
        return binary_apply<T, bool>(in[0], in[1], out, [](T a, T b) { return a >= b; });
      default:
        break;
    }
  });
}

void k_unary(const node& n, const buffer* in, const buffer& out) {
  if (in[0].type == dtype::float32) {
    using T = float;
    switch (n.kind) {
      case op_kind::neg:
        return unary_apply<T>(in[0], out, [](T a) { return -a; });
#define TL_UNARY_FLOAT_OP(name, value, gradient) \
  case op_kind::name:                            \
    return unary_apply<T>(in[0], out, [](T x) { return value; });
#include "graph/unary_ops.def"
      case op_kind::relu:
        return unary_apply<T>(in[0], out, [](T a) { return a < 0.f ? 0.f : a; });  // keeps NaN
      case op_kind::abs:
        return unary_apply<T>(in[0], out, [](T a) { return std::fabs(a); });
      case op_kind::square:
        return unary_apply<T>(in[0], out, [](T a) { return a * a; });
      default:
        return;
    }
  }
  dispatch_integer(in[0].type, [&]<class T>() {
    switch (n.kind) {
      case op_kind::neg:
        return unary_apply<T>(in[0], out, [](T a) { return wrapping_neg(a); });
      case op_kind::relu:
        return unary_apply<T>(in[0], out, [](T a) { return a < 0 ? T(0) : a; });
      case op_kind::abs:
        return unary_apply<T>(in[0], out, [](T a) { return a < 0 ? wrapping_neg(a) : a; });
      case op_kind::square:
        return unary_apply<T>(in[0], out, [](T a) { return wrapping_mul(a, a); });
      default:
        return;
    }
  });
}

void k_where(const node&, const buffer* in, const buffer& out) {
  dispatch_all(out.type, [&]<class T>() {
    const bool* c = in[0].as<bool>();
    const T* x = in[1].as<T>();
    const T* y = in[2].as<T>();
    T* z = out.as<T>();
    for_each_row<3>(*out.shape, {in[0].shape, in[1].shape, in[2].shape},
                    [&](const std::array<std::int64_t, 3>& o, std::int64_t start, std::int64_t len,
                        const std::array<std::int64_t, 3>& st) {
                      for (std::int64_t i = 0; i < len; ++i) {
                        z[start + i] = c[o[0] + i * st[0]] ? x[o[1] + i * st[1]] : y[o[2] + i * st[2]];
                      }
                    });
  });
}

void k_cast(const node&, const buffer* in, const buffer& out) {
  dispatch_all(in[0].type, [&]<class S>() {
    dispatch_all(out.type, [&]<class D>() {
      const S* x = in[0].as<S>();
      D* z = out.as<D>();
      for (std::int64_t i = 0; i < out.size; ++i) z[i] = saturating_cast<D, S>(x[i]);
    });
  });
}

template <class T>
void fill_value(const buffer& out, double v) {
  T* z = out.as<T>();
  T value = saturating_cast<T>(v);
  for (std::int64_t i = 0; i < out.size; ++i) z[i] = value;
}

void k_fill(const node& n, const buffer*, const buffer& out) {
  double v = n.kind == op_kind::zeros_like ? 0.0 : n.kind == op_kind::ones_like ? 1.0 : n.attrs.scalar;
  dispatch_all(out.type, [&]<class T>() { fill_value<T>(out, v); });
}

void k_arange(const node& n, const buffer*, const buffer& out) {
  dispatch_numeric(out.type, [&]<class T>() {
    T* z = out.as<T>();
    for (std::int64_t i = 0; i < out.size; ++i) {
      z[i] = saturating_cast<T>(static_cast<double>(n.attrs.ints[0]) + static_cast<double>(i) * n.attrs.scalar2);
    }
  });
}

// splitmix64's finalizer: a bijective mix whose outputs pass BigCrush when fed a counter.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Counter-based: element i of draw d of seed s is mix64(key(s, d) + (i + 1) * golden), a function of
// its index alone, so the fill runs in parallel and gives the same values on any number of threads.
void k_random(const node& n, const buffer*, const buffer& out) {
  constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
  std::uint64_t draw = 0;
  if (n.attrs.rng) draw = n.attrs.rng->next_draw.fetch_add(1, std::memory_order_relaxed);
  std::uint64_t seed = n.attrs.rng ? n.attrs.rng->seed : n.attrs.seed;
  std::uint64_t key = mix64(mix64(seed) + (draw + 1) * kGolden);
  float* z = out.as<float>();
  double a = n.attrs.scalar, b = n.attrs.scalar2;
  bool normal = n.kind == op_kind::random_normal || n.kind == op_kind::stateless_normal;
  parallel_range(out.size >= kParallelThreshold, out.size, [&](std::int64_t lo, std::int64_t hi) {
    for (std::int64_t i = lo; i < hi; ++i) {
      std::uint64_t bits = mix64(key + static_cast<std::uint64_t>(i + 1) * kGolden);
      if (normal) {
        // Box-Muller on the two 32-bit halves; u1 in (0, 1] keeps the logarithm finite.
        double u1 = (static_cast<double>(bits >> 32) + 1.0) * 0x1p-32;
        double u2 = static_cast<double>(bits & 0xffffffffULL) * 0x1p-32;
        z[i] = static_cast<float>(a + b * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2));
      } else {
        // 24 bits: every value is exactly representable in float and strictly below 1.
        double u = static_cast<double>(bits >> 40) * 0x1p-24;
        z[i] = static_cast<float>(a + (b - a) * u);
      }
    }
  });
}

}  // namespace

kernel_fn elementwise_kernel(op_kind k) {
  if (is_elementwise_binary(k)) return k_binary;
  if (is_elementwise_unary(k)) return k_unary;
  switch (k) {
    case op_kind::equal:
    case op_kind::not_equal:
    case op_kind::less:
    case op_kind::less_equal:
    case op_kind::greater:
    case op_kind::greater_equal:
      return k_compare;
    case op_kind::where:
      return k_where;
    case op_kind::cast:
      return k_cast;
    case op_kind::fill:
    case op_kind::zeros_like:
    case op_kind::ones_like:
      return k_fill;
    case op_kind::arange:
      return k_arange;
    case op_kind::random_normal:
    case op_kind::random_uniform:
    case op_kind::stateless_normal:
    case op_kind::stateless_uniform:
      return k_random;
    default:
      return nullptr;
  }
}

}  // namespace tl::detail
