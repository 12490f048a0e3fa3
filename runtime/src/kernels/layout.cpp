// Data movement: transpose, slice and its gradient, concat, gather and its gradient, one_hot,
// broadcast_to. Reshapes never reach a kernel: their output aliases their input.
#include <cstring>
#include <string>

#include "core/dispatch.h"
#include "kernels/kernels.h"
#include "tl/error.h"

namespace tl::detail {
namespace {

std::size_t esize(const buffer& b) { return dtype_size(b.type); }

void k_transpose(const node& n, const buffer* in, const buffer& out) {
  const auto& s = *in[0].shape;
  const auto& perm = n.attrs.ints;
  auto r = s.size();
  std::vector<std::int64_t> in_str(r), src_str(r);
  std::int64_t st = 1;
  for (std::size_t i = r; i-- > 0;) {
    in_str[i] = st;
    st *= s[i];
  }
  for (std::size_t i = 0; i < r; ++i) src_str[i] = in_str[static_cast<std::size_t>(perm[i])];
  const auto& os = *out.shape;
  auto es = esize(out);
  const char* src = static_cast<const char*>(in[0].data);
  char* dst = static_cast<char*>(out.data);
  if (r == 2 && es == 4) {
    const auto* a = reinterpret_cast<const std::uint32_t*>(src);
    auto* b = reinterpret_cast<std::uint32_t*>(dst);
    std::int64_t rows = os[0], cols = os[1];
    constexpr std::int64_t kBlock = 32;
    for (std::int64_t i0 = 0; i0 < rows; i0 += kBlock)
      for (std::int64_t j0 = 0; j0 < cols; j0 += kBlock)
        for (std::int64_t i = i0; i < std::min(rows, i0 + kBlock); ++i)
          for (std::int64_t j = j0; j < std::min(cols, j0 + kBlock); ++j) b[i * cols + j] = a[j * rows + i];
    return;
  }
  std::vector<std::int64_t> coord(r, 0);
  for (std::int64_t i = 0; i < out.size; ++i) {
    std::int64_t o = 0;
    for (std::size_t d = 0; d < r; ++d) o += coord[d] * src_str[d];
    std::memcpy(dst + i * static_cast<std::int64_t>(es), src + o * static_cast<std::int64_t>(es), es);
    for (std::size_t d = r; d-- > 0;) {
      if (++coord[d] < os[d]) break;
      coord[d] = 0;
    }
  }
}

// Copies the box `box` (shape) between a tensor of shape `big` at `begin` and a dense tensor.
void copy_box(const shape_t& big, const shape_t& box, const std::vector<std::int64_t>& begin, char* big_data,
              char* box_data, std::size_t es, bool into_box) {
  auto r = big.size();
  if (r == 0) {
    if (into_box)
      std::memcpy(box_data, big_data, es);
    else
      std::memcpy(big_data, box_data, es);
    return;
  }
  std::vector<std::int64_t> str(r);
  std::int64_t st = 1;
  for (std::size_t i = r; i-- > 0;) {
    str[i] = st;
    st *= big[i];
  }
  std::int64_t inner = box[r - 1];
  std::int64_t rows = inner == 0 ? 0 : num_elements(box) / inner;
  for (std::int64_t row = 0; row < rows; ++row) {
    std::int64_t o = begin[r - 1], rem = row;
    for (std::size_t d = r - 1; d-- > 0;) {
      o += (rem % box[d] + begin[d]) * str[d];
      rem /= box[d];
    }
    char* b = big_data + o * static_cast<std::int64_t>(es);
    char* x = box_data + row * inner * static_cast<std::int64_t>(es);
    if (into_box)
      std::memcpy(x, b, static_cast<std::size_t>(inner) * es);
    else
      std::memcpy(b, x, static_cast<std::size_t>(inner) * es);
  }
}

void k_slice(const node& n, const buffer* in, const buffer& out) {
  copy_box(*in[0].shape, *out.shape, n.attrs.ints, static_cast<char*>(in[0].data), static_cast<char*>(out.data),
           esize(out), true);
}

void k_slice_grad(const node& n, const buffer* in, const buffer& out) {
  std::memset(out.data, 0, static_cast<std::size_t>(out.size) * esize(out));
  copy_box(*out.shape, *in[0].shape, n.attrs.ints, static_cast<char*>(out.data), static_cast<char*>(in[0].data),
           esize(out), false);
}

void k_concat(const node& n, const buffer* in, const buffer& out) {
  const auto& os = *out.shape;
  auto ax =
      static_cast<std::size_t>(n.attrs.axis < 0 ? n.attrs.axis + static_cast<std::int64_t>(os.size()) : n.attrs.axis);
  std::int64_t outer = 1, inner = 1;
  for (std::size_t i = 0; i < ax; ++i) outer *= os[i];
  for (std::size_t i = ax + 1; i < os.size(); ++i) inner *= os[i];
  auto es = static_cast<std::int64_t>(esize(out));
  std::int64_t out_row = os[ax] * inner * es;
  std::int64_t at = 0;
  for (std::size_t j = 0; j < n.inputs.size(); ++j) {
    std::int64_t part_row = (*in[j].shape)[ax] * inner * es;
    for (std::int64_t o = 0; o < outer; ++o) {
      std::memcpy(static_cast<char*>(out.data) + o * out_row + at, static_cast<const char*>(in[j].data) + o * part_row,
                  static_cast<std::size_t>(part_row));
    }
    at += part_row;
  }
}

void check_indices(const buffer& idx, std::int64_t limit, const node& n) {
  for (std::int64_t i = 0; i < idx.size; ++i) {
    auto v = read_index(idx.data, idx.type, i);
    if (v < 0 || v >= limit) {
      throw tl::error("tl::" + std::string(op_name(n.kind)) + ": index " + std::to_string(v) + " is out of range [0, " +
                      std::to_string(limit) + ") (called at " + format_location(n.loc) + ")");
    }
  }
}

void k_gather(const node& n, const buffer* in, const buffer& out) {
  const auto& ps = *in[0].shape;
  auto ax =
      static_cast<std::size_t>(n.attrs.axis < 0 ? n.attrs.axis + static_cast<std::int64_t>(ps.size()) : n.attrs.axis);
  check_indices(in[1], ps[ax], n);
  std::int64_t outer = 1, inner = 1;
  for (std::size_t i = 0; i < ax; ++i) outer *= ps[i];
  for (std::size_t i = ax + 1; i < ps.size(); ++i) inner *= ps[i];
  auto es = static_cast<std::int64_t>(esize(out));
  std::int64_t nidx = in[1].size;
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::int64_t j = 0; j < nidx; ++j) {
      auto v = read_index(in[1].data, in[1].type, j);
      std::memcpy(static_cast<char*>(out.data) + ((o * nidx + j) * inner) * es,
                  static_cast<const char*>(in[0].data) + ((o * ps[ax] + v) * inner) * es,
                  static_cast<std::size_t>(inner * es));
    }
}

// gather_grad(g, indices, params): scatter-add g into zeros shaped like params.
void k_gather_grad(const node& n, const buffer* in, const buffer& out) {
  const auto& ps = *out.shape;
  auto ax =
      static_cast<std::size_t>(n.attrs.axis < 0 ? n.attrs.axis + static_cast<std::int64_t>(ps.size()) : n.attrs.axis);
  std::int64_t outer = 1, inner = 1;
  for (std::size_t i = 0; i < ax; ++i) outer *= ps[i];
  for (std::size_t i = ax + 1; i < ps.size(); ++i) inner *= ps[i];
  float* z = out.as<float>();
  const float* g = in[0].as<float>();
  std::fill(z, z + out.size, 0.f);
  std::int64_t nidx = in[1].size;
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::int64_t j = 0; j < nidx; ++j) {
      auto v = read_index(in[1].data, in[1].type, j);
      for (std::int64_t i = 0; i < inner; ++i) z[(o * ps[ax] + v) * inner + i] += g[(o * nidx + j) * inner + i];
    }
}

void k_one_hot(const node& n, const buffer* in, const buffer& out) {
  std::int64_t depth = n.attrs.axis;
  std::memset(out.data, 0, static_cast<std::size_t>(out.size) * esize(out));
  dispatch_all(out.type, [&]<class T>() {
    T* z = out.as<T>();
    for (std::int64_t i = 0; i < in[0].size; ++i) {
      auto v = read_index(in[0].data, in[0].type, i);
      if (v >= 0 && v < depth) z[i * depth + v] = T(1);  // out-of-range rows stay zero, as in TF
    }
  });
}

void k_broadcast_to(const node&, const buffer* in, const buffer& out) {
  const auto& os = *out.shape;
  std::vector<std::int64_t> str(os.size() + 1);
  broadcast_strides(*in[0].shape, os, str.data());
  auto es = esize(out);
  std::vector<std::int64_t> coord(os.size(), 0);
  for (std::int64_t i = 0; i < out.size; ++i) {
    std::int64_t o = 0;
    for (std::size_t d = 0; d < os.size(); ++d) o += coord[d] * str[d];
    std::memcpy(static_cast<char*>(out.data) + i * static_cast<std::int64_t>(es),
                static_cast<const char*>(in[0].data) + o * static_cast<std::int64_t>(es), es);
    for (std::size_t d = os.size(); d-- > 0;) {
      if (++coord[d] < os[d]) break;
      coord[d] = 0;
    }
  }
}

}  // namespace

kernel_fn layout_kernel(op_kind k) {
  switch (k) {
    case op_kind::transpose:
      return k_transpose;
    case op_kind::slice:
      return k_slice;
    case op_kind::slice_grad:
      return k_slice_grad;
    case op_kind::concat:
      return k_concat;
    case op_kind::gather:
      return k_gather;
    case op_kind::gather_grad:
      return k_gather_grad;
    case op_kind::one_hot:
      return k_one_hot;
    case op_kind::broadcast_to:
      return k_broadcast_to;
    default:
      return nullptr;
  }
}

}  // namespace tl::detail
