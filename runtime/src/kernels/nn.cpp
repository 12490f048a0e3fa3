// Softmax, log-softmax and the fused softmax cross-entropy losses (numerically stable: the row
// maximum is subtracted before exponentiating).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/dispatch.h"
#include "kernels/kernels.h"
#include "tl/error.h"

namespace tl::detail {
namespace {

void k_softmax(const node& n, const buffer* in, const buffer& out) {
  const auto& s = *in[0].shape;
  auto ax =
      static_cast<std::size_t>(n.attrs.axis < 0 ? n.attrs.axis + static_cast<std::int64_t>(s.size()) : n.attrs.axis);
  std::int64_t outer = 1, inner = 1, len = s[ax];
  for (std::size_t i = 0; i < ax; ++i) outer *= s[i];
  for (std::size_t i = ax + 1; i < s.size(); ++i) inner *= s[i];
  const float* x = in[0].as<float>();
  float* y = out.as<float>();
  bool log_form = n.kind == op_kind::log_softmax;
  parallel_range(in[0].size >= kParallelThreshold, outer * inner, [&](std::int64_t first, std::int64_t last) {
    for (std::int64_t oi = first; oi < last; ++oi) {
      std::int64_t o = oi / inner, i = oi % inner;
      auto at = [&](std::int64_t r) { return (o * len + r) * inner + i; };
      float m = -INFINITY;
      for (std::int64_t r = 0; r < len; ++r) m = std::max(m, x[at(r)]);
      double total = 0;
      for (std::int64_t r = 0; r < len; ++r) total += std::exp(static_cast<double>(x[at(r)] - m));
      if (log_form) {
        float lse = m + static_cast<float>(std::log(total));
        for (std::int64_t r = 0; r < len; ++r) y[at(r)] = x[at(r)] - lse;
      } else {
        for (std::int64_t r = 0; r < len; ++r)
          y[at(r)] = static_cast<float>(std::exp(static_cast<double>(x[at(r)] - m)) / total);
      }
    }
  });
}

float row_max(const float* row, std::int64_t cols) {
  float m = -INFINITY;
  for (std::int64_t c = 0; c < cols; ++c) m = std::max(m, row[c]);
  return m;
}

void check_sparse_labels(const node& n, const buffer& labels, std::int64_t rows, std::int64_t cols) {
  for (std::int64_t r = 0; r < rows; ++r) {
    auto label = read_index(labels.data, labels.type, r);
    if (label < 0 || label >= cols) {
      throw tl::error("tl::sparse_softmax_cross_entropy: label " + std::to_string(label) + " in row " +
                      std::to_string(r) + " is outside [0, " + std::to_string(cols) + ") (called at " +
                      format_location(n.loc) + ")");
    }
  }
}

void k_xent(const node& n, const buffer* in, const buffer& out) {
  const auto& s = *in[0].shape;
  std::int64_t rows = s[0], cols = s[1];
  const float* x = in[0].as<float>();
  float* loss = out.as<float>();
  bool sparse = n.kind == op_kind::sparse_xent;
  if (sparse) check_sparse_labels(n, in[1], rows, cols);
  const auto& ls = *in[1].shape;
  std::int64_t label_stride = (!sparse && ls[0] == 1) ? 0 : cols;
  std::int64_t label_col = (!sparse && ls[1] == 1) ? 0 : 1;
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    float m = row_max(row, cols);
    double total = 0;
    for (std::int64_t c = 0; c < cols; ++c) total += std::exp(static_cast<double>(row[c] - m));
    double lse = m + std::log(total);
    if (sparse) {
      loss[r] = static_cast<float>(lse - row[read_index(in[1].data, in[1].type, r)]);
    } else {
      const float* p = in[1].as<float>() + r * label_stride;
      double l = 0;
      for (std::int64_t c = 0; c < cols; ++c) l -= p[c * label_col] * (row[c] - lse);
      loss[r] = static_cast<float>(l);
    }
  }
}

// sparse_xent_grad(logits, labels, g): the gradient of sparse softmax cross-entropy,
// (softmax(logits) - one_hot(labels)) * g[row], computed row by row while the row is in L1, in place of
// softmax, one_hot, sub and mul nodes (four passes and three temporaries). The same arithmetic as those
// kernels, in the same order.
void k_xent_grad(const node&, const buffer* in, const buffer& out) {
  const auto& s = *in[0].shape;
  std::int64_t rows = s[0], cols = s[1];
  const float* x = in[0].as<float>();
  const float* g = in[2].as<float>();
  float* y = out.as<float>();
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    float* dst = y + r * cols;
    float m = row_max(row, cols);
    double total = 0;
    for (std::int64_t c = 0; c < cols; ++c) total += std::exp(static_cast<double>(row[c] - m));
    auto label = read_index(in[1].data, in[1].type, r);
    float scale = g[r];
    for (std::int64_t c = 0; c < cols; ++c) {
      float p = static_cast<float>(std::exp(static_cast<double>(row[c] - m)) / total);
      dst[c] = (p - (c == label ? 1.f : 0.f)) * scale;
    }
  }
}

// sparse_xent_backprop(logits, labels): the loss of each row (k_xent's arithmetic) and the row's
// softmax - one_hot (k_xent_grad's), from one max, one exp per element and one sum, while the row is in
// L1: the forward and backward passes of the unfused graph take three exps per element. Layout:
// loss[rows], then backprop[rows, cols].
void k_xent_backprop(const node& n, const buffer* in, const buffer& out) {
  const auto& s = *in[0].shape;
  std::int64_t rows = s[0], cols = s[1];
  check_sparse_labels(n, in[1], rows, cols);
  const float* x = in[0].as<float>();
  float* loss = out.as<float>();
  float* backprop = loss + rows;
  std::vector<double> e(static_cast<std::size_t>(cols));
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    float* dst = backprop + r * cols;
    float m = row_max(row, cols);
    double total = 0;
    for (std::int64_t c = 0; c < cols; ++c) {
      e[static_cast<std::size_t>(c)] = std::exp(static_cast<double>(row[c] - m));
      total += e[static_cast<std::size_t>(c)];
    }
    auto label = read_index(in[1].data, in[1].type, r);
    loss[r] = static_cast<float>(m + std::log(total) - row[label]);
    for (std::int64_t c = 0; c < cols; ++c) {
      float p = static_cast<float>(e[static_cast<std::size_t>(c)] / total);
      dst[c] = p - (c == label ? 1.f : 0.f);
    }
  }
}

// xent_backprop_grad(backprop, g): backprop[r, c] * g[r], reading sparse_xent_backprop's second part.
void k_xent_backprop_grad(const node&, const buffer* in, const buffer& out) {
  const auto& s = *out.shape;
  std::int64_t rows = s[0], cols = s[1];
  const float* backprop = in[0].as<float>() + rows;
  const float* g = in[1].as<float>();
  float* y = out.as<float>();
  for (std::int64_t r = 0; r < rows; ++r) {
    float scale = g[r];
    const float* src = backprop + r * cols;
    float* dst = y + r * cols;
#pragma omp simd
    for (std::int64_t c = 0; c < cols; ++c) dst[c] = src[c] * scale;
  }
}

}  // namespace

kernel_fn nn_kernel(op_kind k) {
  switch (k) {
    case op_kind::softmax:
    case op_kind::log_softmax:
      return k_softmax;
    case op_kind::sparse_xent:
    case op_kind::dense_xent:
      return k_xent;
    case op_kind::sparse_xent_grad:
      return k_xent_grad;
    case op_kind::sparse_xent_backprop:
      return k_xent_backprop;
    case op_kind::xent_backprop_grad:
      return k_xent_backprop_grad;
    default:
      return nullptr;
  }
}

}  // namespace tl::detail
