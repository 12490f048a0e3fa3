// Reductions and their gradient helpers. Every reduction is seen as (outer, reduced, inner) blocks
// when the reduced axes are contiguous, which covers bias gradients, softmax axes and full
// reductions; other axis sets go through an index-mapping loop.
#include <algorithm>
#include <cstring>
#include <limits>

#include "core/dispatch.h"
#include "kernels/arith.h"
#include "kernels/kernels.h"

namespace tl::detail {
namespace {

std::vector<bool> reduced_mask(const std::vector<std::int64_t>& axes, std::size_t rank) {
  std::vector<bool> r(rank, axes.empty());
  for (auto a : axes) r[static_cast<std::size_t>(a < 0 ? a + static_cast<std::int64_t>(rank) : a)] = true;
  return r;
}

// Shape of the operand with reduced axes kept as size 1.
shape_t keepdims_shape(const shape_t& s, const std::vector<bool>& red) {
  shape_t k = s;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (red[i]) k[i] = 1;
  return k;
}

template <class T, class Acc, class Init, class Step, class Finish>
void reduce_into(const buffer& x, const buffer& out, const std::vector<bool>& red, Init init, Step step,
                 Finish finish) {
  const auto& s = *x.shape;
  const T* px = x.as<T>();
  T* po = out.as<T>();
  // Contiguous case: find first and last reduced axis.
  std::size_t first = s.size(), last = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (red[i]) {
      first = std::min(first, i);
      last = i;
    }
  bool contiguous = true;
  for (std::size_t i = first; i <= last && first < s.size(); ++i) contiguous &= red[i];
  if (first == s.size()) {  // nothing reduced (rank 0 or no axes)
    for (std::int64_t i = 0; i < out.size; ++i) po[i] = finish(step(init(), px[i]), 1);
    return;
  }
  std::int64_t count = 1;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (red[i]) count *= s[i];
  if (contiguous) {
    std::int64_t outer = 1, inner = 1;
    for (std::size_t i = 0; i < first; ++i) outer *= s[i];
    for (std::size_t i = last + 1; i < s.size(); ++i) inner *= s[i];
    if (inner == 1) {
      parallel_range(outer * count >= kParallelThreshold, outer, [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t o = first; o < last; ++o) {
          Acc acc = init();
          const T* row = px + o * count;
          for (std::int64_t r = 0; r < count; ++r) acc = step(acc, row[r]);
          po[o] = finish(acc, count);
        }
      });
    } else {
      std::vector<Acc> acc(static_cast<std::size_t>(inner));
      for (std::int64_t o = 0; o < outer; ++o) {
        std::fill(acc.begin(), acc.end(), init());
        for (std::int64_t r = 0; r < count; ++r) {
          const T* row = px + (o * count + r) * inner;
          for (std::int64_t i = 0; i < inner; ++i)
            acc[static_cast<std::size_t>(i)] = step(acc[static_cast<std::size_t>(i)], row[i]);
        }
        for (std::int64_t i = 0; i < inner; ++i) po[o * inner + i] = finish(acc[static_cast<std::size_t>(i)], count);
      }
    }
    return;
  }
  std::vector<Acc> acc(static_cast<std::size_t>(out.size), init());
  shape_t ks = keepdims_shape(s, red);
  std::vector<std::int64_t> ostr(s.size());
  broadcast_strides(ks, s, ostr.data());
  std::vector<std::int64_t> coord(s.size(), 0);
  for (std::int64_t i = 0; i < x.size; ++i) {
    std::int64_t o = 0;
    for (std::size_t d = 0; d < s.size(); ++d) o += coord[d] * ostr[d];
    acc[static_cast<std::size_t>(o)] = step(acc[static_cast<std::size_t>(o)], px[i]);
    for (std::size_t d = s.size(); d-- > 0;) {
      if (++coord[d] < s[d]) break;
      coord[d] = 0;
    }
  }
  for (std::int64_t i = 0; i < out.size; ++i) po[i] = finish(acc[static_cast<std::size_t>(i)], count);
}

void k_reduce(const node& n, const buffer* in, const buffer& out) {
  auto red = reduced_mask(n.attrs.ints, in[0].shape->size());
  dispatch_numeric(in[0].type, [&]<class T>() {
    using Acc = std::conditional_t<std::is_same_v<T, float>, double, T>;
    if (n.kind == op_kind::max) {
      reduce_into<T, T>(
          // The max of nothing is -inf for floats, as in TF (the lowest value for integers).
          in[0], out, red,
          [] {
            return std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                        : std::numeric_limits<T>::lowest();
          },
          [](T a, T b) { return b > a || b != b ? b : a; }, [](T a, std::int64_t) { return a; });
    } else {
      bool mean = n.kind == op_kind::mean;
      reduce_into<T, Acc>(
          in[0], out, red, [] { return Acc(0); }, [](Acc a, T b) { return wrapping_add(a, static_cast<Acc>(b)); },
          [mean](Acc a, std::int64_t c) {
            // The mean of nothing is 0/0: NaN for floats (as in TF), 0 for integers.
            if (mean && c == 0)
              return std::numeric_limits<T>::has_quiet_NaN ? std::numeric_limits<T>::quiet_NaN() : T(0);
            return static_cast<T>(mean ? a / static_cast<Acc>(c) : a);
          });
    }
  });
}

void k_argmax(const node& n, const buffer* in, const buffer& out) {
  const auto& s = *in[0].shape;
  auto ax =
      static_cast<std::size_t>(n.attrs.axis < 0 ? n.attrs.axis + static_cast<std::int64_t>(s.size()) : n.attrs.axis);
  std::int64_t outer = 1, inner = 1, len = s[ax];
  for (std::size_t i = 0; i < ax; ++i) outer *= s[i];
  for (std::size_t i = ax + 1; i < s.size(); ++i) inner *= s[i];
  auto* po = out.as<std::int64_t>();
  dispatch_numeric(in[0].type, [&]<class T>() {
    const T* px = in[0].as<T>();
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t i = 0; i < inner; ++i) {
        std::int64_t best = 0;
        for (std::int64_t r = 1; r < len; ++r)
          if (px[(o * len + r) * inner + i] > px[(o * len + best) * inner + i]) best = r;
        po[o * inner + i] = best;
      }
  });
}

// reduce_grad(g, x): spread g (shape of sum/mean(x, axes)) back over x's shape, divided by the
// reduced count for a mean.
void k_reduce_grad(const node& n, const buffer* in, const buffer& out) {
  const auto& xs = *out.shape;
  auto red = reduced_mask(n.attrs.ints, xs.size());
  shape_t ks = keepdims_shape(xs, red);
  std::vector<std::int64_t> str(xs.size() + 1);
  broadcast_strides(ks, xs, str.data());
  std::int64_t count = 1;
  for (std::size_t i = 0; i < xs.size(); ++i)
    if (red[i]) count *= xs[i];
  float scale = n.attrs.scalar != 0 && count > 0 ? 1.f / static_cast<float>(count) : 1.f;
  const float* g = in[0].as<float>();
  float* z = out.as<float>();
  std::vector<std::int64_t> coord(xs.size(), 0);
  for (std::int64_t i = 0; i < out.size; ++i) {
    std::int64_t o = 0;
    for (std::size_t d = 0; d < xs.size(); ++d) o += coord[d] * str[d];
    z[i] = g[o] * scale;
    for (std::size_t d = xs.size(); d-- > 0;) {
      if (++coord[d] < xs[d]) break;
      coord[d] = 0;
    }
  }
}

// sum_to_like(g, x): sum g over the dimensions along which x was broadcast.
void k_sum_to_like(const node&, const buffer* in, const buffer& out) {
  const auto& gs = *in[0].shape;
  if (in[0].size == out.size) {
    std::memcpy(out.data, in[0].data, static_cast<std::size_t>(out.size) * dtype_size(out.type));
    return;
  }
  std::vector<std::int64_t> str(gs.size() + 1);
  broadcast_strides(*out.shape, gs, str.data());
  dispatch_numeric(out.type, [&]<class T>() {
    const T* g = in[0].as<T>();
    T* z = out.as<T>();
    std::fill(z, z + out.size, T(0));
    std::int64_t inner = gs.empty() ? 1 : gs.back();
    std::int64_t rows = inner == 0 ? 0 : in[0].size / inner;
    std::int64_t inner_stride = gs.empty() ? 0 : str[gs.size() - 1];
    for (std::int64_t row = 0; row < rows; ++row) {
      std::int64_t o = 0, rem = row;
      for (std::size_t d = gs.size() - 1; d-- > 0;) {
        o += (rem % gs[d]) * str[d];
        rem /= gs[d];
      }
      const T* grow = g + row * inner;
      if (inner_stride == 0) {
        T acc = T(0);
        for (std::int64_t i = 0; i < inner; ++i) acc += grow[i];
        z[o] += acc;
      } else {
        // A gradient row never overlaps the result (distinct buffers); each z element still adds
        // the rows in order, so vectorizing across i keeps the sums' values.
#pragma omp simd
        for (std::int64_t i = 0; i < inner; ++i) z[o + i] += grow[i];
      }
    }
  });
}

}  // namespace

kernel_fn reduce_kernel(op_kind k) {
  switch (k) {
    case op_kind::sum:
    case op_kind::mean:
    case op_kind::max:
      return k_reduce;
    case op_kind::argmax:
      return k_argmax;
    case op_kind::reduce_grad:
      return k_reduce_grad;
    case op_kind::sum_to_like:
      return k_sum_to_like;
    default:
      return nullptr;
  }
}

}  // namespace tl::detail
