// Shape and dtype rules for every op kind.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/code_location.h"
#include "graph/graph.h"
#include "tl/error.h"

namespace tl::detail {

const char* op_name(op_kind k) {
  switch (k) {
#define TL_NAME(name) \
  case op_kind::name: \
    return #name;
    TL_OP_KINDS(TL_NAME)
#undef TL_NAME
#define TL_UNARY_FLOAT_OP(name, value, gradient) \
  case op_kind::name:                            \
    return #name;
#include "graph/unary_ops.def"
  }
  return "?";
}

namespace {

[[noreturn]] void fail(op_kind k, const std::source_location& loc, const std::string& what) {
  std::ostringstream os;
  os << "tl::" << op_name(k) << ": " << what << " (called at " << format_call_location(loc) << ")";
  throw tl::error(os.str());
}

std::string describe(const value_type& v) { return std::string(dtype_name(v.type)) + shape_string(v.shape); }

void expect_inputs(op_kind k, const std::vector<const value_type*>& in, std::size_t n,
                   const std::source_location& loc) {
  if (in.size() != n) fail(k, loc, "expects " + std::to_string(n) + " operands, got " + std::to_string(in.size()));
}

bool is_float(dtype t) { return t == dtype::float32; }
bool is_integer(dtype t) { return t == dtype::int32 || t == dtype::int64; }

void expect_float(op_kind k, const value_type& v, const std::source_location& loc) {
  if (!is_float(v.type)) fail(k, loc, "needs a float32 operand, got " + describe(v));
}

void check_shape_literal(op_kind k, const shape_t& s, const std::source_location& loc, bool allow_infer) {
  int inferred = 0;
  for (auto d : s) {
    if (d == -1 && allow_infer) {
      ++inferred;
    } else if (d < 0) {
      fail(k, loc, "dimension " + std::to_string(d) + " in shape " + shape_string(s) + " is negative");
    }
  }
  if (inferred > 1) fail(k, loc, "shape " + shape_string(s) + " has more than one -1");
}

// Reduced shape for reductions over `axes` (empty = all).
std::vector<bool> reduced_axes(op_kind k, const std::vector<std::int64_t>& axes, std::int64_t rank,
                               const std::source_location& loc) {
  std::vector<bool> r(static_cast<std::size_t>(rank), axes.empty());
  for (auto a : axes) {
    auto n = normalize_axis(a, rank, k, loc);
    if (r[static_cast<std::size_t>(n)]) fail(k, loc, "axis " + std::to_string(a) + " repeated");
    r[static_cast<std::size_t>(n)] = true;
  }
  return r;
}

shape_t reduce_shape(const shape_t& s, const std::vector<bool>& red, bool keepdims) {
  shape_t out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!red[i])
      out.push_back(s[i]);
    else if (keepdims)
      out.push_back(1);
  }
  return out;
}

}  // namespace

std::int64_t normalize_axis(std::int64_t axis, std::int64_t rank, op_kind k, const std::source_location& loc) {
  std::int64_t n = axis < 0 ? axis + rank : axis;
  if (n < 0 || n >= rank) {
    fail(k, loc, "axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  return n;
}

shape_t broadcast_shapes(const shape_t& a, const shape_t& b, op_kind k, const std::source_location& loc) {
  std::size_t r = std::max(a.size(), b.size());
  shape_t out(r);
  for (std::size_t i = 0; i < r; ++i) {
    std::int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
    std::int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (da == db)
      out[i] = da;
    else if (da == 1)
      out[i] = db;
    else if (db == 1)
      out[i] = da;
    else if (da == -1 || db == -1)
      out[i] = std::max(da, db);  // unknown vs known: trust the known one
    else
      fail(k, loc, "shapes " + shape_string(a) + " and " + shape_string(b) + " cannot be broadcast");
  }
  return out;
}

bool is_elementwise_unary(op_kind k) {
  switch (k) {
    case op_kind::neg:
    case op_kind::relu:
    case op_kind::abs:
    case op_kind::square:
#define TL_UNARY_FLOAT_OP(name, value, gradient) case op_kind::name:
#include "graph/unary_ops.def"
      return true;
    default:
      return false;
  }
}

bool is_elementwise_binary(op_kind k) {
  switch (k) {
    case op_kind::add:
    case op_kind::sub:
    case op_kind::mul:
    case op_kind::div:
    case op_kind::pow:
    case op_kind::maximum:
    case op_kind::minimum:
    case op_kind::relu_grad:
      return true;
    default:
      return false;
  }
}

static bool is_comparison(op_kind k) {
  switch (k) {
    case op_kind::equal:
    case op_kind::not_equal:
    case op_kind::less:
    case op_kind::less_equal:
    case op_kind::greater:
    case op_kind::greater_equal:
      return true;
    default:
      return false;
  }
}

bool has_side_effect(op_kind k) {
  return k == op_kind::assign_variable || k == op_kind::print || k == op_kind::matmul_update;
}

bool is_executor_fused(op_kind k) {
  return k == op_kind::fused_elementwise || k == op_kind::fused_matmul || k == op_kind::matmul_update ||
         k == op_kind::sparse_xent_grad || k == op_kind::sparse_xent_backprop || k == op_kind::xent_backprop_grad;
}

bool is_stateful(op_kind k) { return k == op_kind::random_normal || k == op_kind::random_uniform; }

bool is_source(op_kind k) {
  switch (k) {
    case op_kind::placeholder:
    case op_kind::constant:
    case op_kind::read_variable:
    case op_kind::fill:
    case op_kind::arange:
    case op_kind::random_normal:
    case op_kind::random_uniform:
    case op_kind::stateless_normal:
    case op_kind::stateless_uniform:
      return true;
    default:
      return false;
  }
}

bool is_pure(op_kind k) {
  return !(k == op_kind::placeholder || k == op_kind::read_variable || has_side_effect(k) || is_stateful(k));
}

namespace {

value_type shape_rule(op_kind k, const op_attrs& a, const std::vector<const value_type*>& in,
                      const std::source_location& loc) {
  if (is_elementwise_binary(k) || is_comparison(k)) {
    expect_inputs(k, in, 2, loc);
    if (in[0]->type != in[1]->type) {
      fail(k, loc, "operand dtypes differ: " + describe(*in[0]) + " and " + describe(*in[1]));
    }
    if (in[0]->type == dtype::bool_ && !(k == op_kind::equal || k == op_kind::not_equal)) {
      fail(k, loc, "does not accept bool operands (" + describe(*in[0]) + ")");
    }
    if ((k == op_kind::pow || k == op_kind::relu_grad) && !is_float(in[0]->type)) expect_float(k, *in[0], loc);
    auto s = broadcast_shapes(in[0]->shape, in[1]->shape, k, loc);
    return {is_comparison(k) ? dtype::bool_ : in[0]->type, s};
  }
  if (is_elementwise_unary(k)) {
    expect_inputs(k, in, 1, loc);
    bool int_ok = k == op_kind::neg || k == op_kind::abs || k == op_kind::square || k == op_kind::relu;
    if (in[0]->type == dtype::bool_ || (!int_ok && !is_float(in[0]->type))) {
      fail(k, loc,
           "needs a float32 operand" + std::string(int_ok ? " or an integer one" : "") + ", got " + describe(*in[0]));
    }
    return *in[0];
  }
  switch (k) {
    case op_kind::placeholder:
    case op_kind::constant:
    case op_kind::read_variable:
      fail(k, loc, "internal: source ops carry their own type");
    case op_kind::fill:
    case op_kind::random_normal:
    case op_kind::random_uniform:
    case op_kind::stateless_normal:
    case op_kind::stateless_uniform:
      check_shape_literal(k, a.ints, loc, false);
      if (k != op_kind::fill && a.to != dtype::float32) fail(k, loc, "random values are float32 only");
      return {a.to, a.ints};
    case op_kind::arange: {
      if (a.scalar2 == 0) fail(k, loc, "step must not be zero");
      // In double: stop - start overflows int64 for ranges spanning most of it.
      double count = std::ceil((static_cast<double>(a.ints2[0]) - static_cast<double>(a.ints[0])) / a.scalar2);
      if (!(count < 0x1p62))
        fail(k, loc,
             "the range from " + std::to_string(a.ints[0]) + " to " + std::to_string(a.ints2[0]) +
                 " holds too many values to store");
      auto n = static_cast<std::int64_t>(std::max(0.0, count));
      return {a.to, {n}};
    }
    case op_kind::zeros_like:
    case op_kind::ones_like:
      expect_inputs(k, in, 1, loc);
      return *in[0];
    case op_kind::where: {
      expect_inputs(k, in, 3, loc);
      if (in[0]->type != dtype::bool_) fail(k, loc, "condition must be bool, got " + describe(*in[0]));
      if (in[1]->type != in[2]->type) {
        fail(k, loc, "branch dtypes differ: " + describe(*in[1]) + " and " + describe(*in[2]));
      }
      auto s = broadcast_shapes(broadcast_shapes(in[0]->shape, in[1]->shape, k, loc), in[2]->shape, k, loc);
      return {in[1]->type, s};
    }
    case op_kind::cast:
      expect_inputs(k, in, 1, loc);
      return {a.to, in[0]->shape};
    case op_kind::matmul: {
      expect_inputs(k, in, 2, loc);
      const auto& x = *in[0];
      const auto& y = *in[1];
      if (x.type != y.type || x.type == dtype::bool_) {
        fail(k, loc, "needs two numeric operands of one dtype, got " + describe(x) + " and " + describe(y));
      }
      if (x.shape.size() < 2 || y.shape.size() < 2) {
        fail(k, loc, "operands must have rank >= 2, got " + describe(x) + " and " + describe(y));
      }
      auto r = x.shape.size();
      auto m = a.transpose_a ? x.shape[r - 1] : x.shape[r - 2];
      auto kx = a.transpose_a ? x.shape[r - 2] : x.shape[r - 1];
      auto ry = y.shape.size();
      auto ky = a.transpose_b ? y.shape[ry - 1] : y.shape[ry - 2];
      auto n = a.transpose_b ? y.shape[ry - 2] : y.shape[ry - 1];
      if (kx != ky && kx != -1 && ky != -1) {
        fail(k, loc,
             "inner dimensions differ: " + describe(x) + (a.transpose_a ? "^T" : "") + " @ " + describe(y) +
                 (a.transpose_b ? "^T" : ""));
      }
      shape_t bx(x.shape.begin(), x.shape.end() - 2), by(y.shape.begin(), y.shape.end() - 2);
      auto batch = broadcast_shapes(bx, by, k, loc);
      batch.push_back(m);
      batch.push_back(n);
      return {x.type, batch};
    }
    case op_kind::sum:
    case op_kind::mean:
    case op_kind::max: {
      expect_inputs(k, in, 1, loc);
      if (in[0]->type == dtype::bool_) fail(k, loc, "does not reduce bool tensors (" + describe(*in[0]) + ")");
      auto red = reduced_axes(k, a.ints, static_cast<std::int64_t>(in[0]->shape.size()), loc);
      return {in[0]->type, reduce_shape(in[0]->shape, red, a.keepdims)};
    }
    case op_kind::argmax: {
      expect_inputs(k, in, 1, loc);
      auto r = static_cast<std::int64_t>(in[0]->shape.size());
      if (r == 0) fail(k, loc, "needs rank >= 1, got " + describe(*in[0]));
      auto ax = normalize_axis(a.axis, r, k, loc);
      if (in[0]->shape[static_cast<std::size_t>(ax)] == 0)
        fail(k, loc, "has no element to point at along axis " + std::to_string(ax) + " of " + describe(*in[0]));
      std::vector<bool> red(static_cast<std::size_t>(r), false);
      red[static_cast<std::size_t>(ax)] = true;
      return {dtype::int64, reduce_shape(in[0]->shape, red, a.keepdims)};
    }
    case op_kind::reshape: {
      expect_inputs(k, in, 1, loc);
      check_shape_literal(k, a.ints, loc, true);
      shape_t out = a.ints;
      auto n = num_elements(in[0]->shape);
      std::int64_t known = 1;
      int infer_at = -1;
      for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == -1)
          infer_at = static_cast<int>(i);
        else if (__builtin_mul_overflow(known, out[i], &known))
          fail(k, loc, "shape " + shape_string(a.ints) + " has more elements than a 64-bit count can hold");
      }
      if (n >= 0) {
        if (infer_at >= 0) {
          if (known == 0 || n % known != 0) {
            fail(k, loc, "cannot reshape " + describe(*in[0]) + " to " + shape_string(a.ints));
          }
          out[static_cast<std::size_t>(infer_at)] = n / known;
        } else if (known != n) {
          fail(k, loc,
               "cannot reshape " + describe(*in[0]) + " (" + std::to_string(n) + " elements) to " +
                   shape_string(a.ints));
        }
      }
      return {in[0]->type, out};
    }
    case op_kind::reshape_like:
    case op_kind::sum_to_like:
    case op_kind::reduce_grad:
    case op_kind::slice_grad:
      expect_inputs(k, in, 2, loc);
      return {in[0]->type, in[1]->shape};
    case op_kind::gather_grad:
      expect_inputs(k, in, 3, loc);
      return {in[0]->type, in[2]->shape};
    case op_kind::transpose: {
      expect_inputs(k, in, 1, loc);
      auto r = in[0]->shape.size();
      if (a.ints.size() != r) {
        fail(k, loc, "permutation " + shape_string(a.ints) + " does not match rank " + std::to_string(r));
      }
      std::vector<bool> seen(r, false);
      shape_t out(r);
      for (std::size_t i = 0; i < r; ++i) {
        auto p = a.ints[i];
        if (p < 0 || p >= static_cast<std::int64_t>(r) || seen[static_cast<std::size_t>(p)]) {
          fail(k, loc, "invalid permutation " + shape_string(a.ints));
        }
        seen[static_cast<std::size_t>(p)] = true;
        out[i] = in[0]->shape[static_cast<std::size_t>(p)];
      }
      return {in[0]->type, out};
    }
    case op_kind::slice: {
      expect_inputs(k, in, 1, loc);
      const auto& s = in[0]->shape;
      if (a.ints.size() != s.size() || a.ints2.size() != s.size()) {
        fail(k, loc,
             "begin " + shape_string(a.ints) + " and size " + shape_string(a.ints2) + " must have rank " +
                 std::to_string(s.size()) + " like " + describe(*in[0]));
      }
      shape_t out(s.size());
      for (std::size_t i = 0; i < s.size(); ++i) {
        auto b = a.ints[i];
        auto n = a.ints2[i];
        if (b < 0 || n < -1) fail(k, loc, "negative begin or size in slice of " + describe(*in[0]));
        if (s[i] == -1) {
          out[i] = n;
          continue;
        }
        if (n == -1) n = s[i] - b;
        // `b + n` must not wrap: {INT64_MAX} + {1} read before the buffer.
        std::int64_t end = 0;
        if (n < 0 || __builtin_add_overflow(b, n, &end) || end > s[i]) {
          fail(k, loc,
               "slice of " + std::to_string(n) + " elements from " + std::to_string(b) + " along axis " +
                   std::to_string(i) + " is outside " + describe(*in[0]));
        }
        out[i] = n;
      }
      return {in[0]->type, out};
    }
    case op_kind::concat: {
      if (in.empty()) fail(k, loc, "needs at least one operand");
      auto r = static_cast<std::int64_t>(in[0]->shape.size());
      if (r == 0) fail(k, loc, "cannot concatenate scalars");
      auto ax = static_cast<std::size_t>(normalize_axis(a.axis, r, k, loc));
      shape_t out = in[0]->shape;
      for (std::size_t j = 1; j < in.size(); ++j) {
        const auto& s = in[j]->shape;
        if (in[j]->type != in[0]->type || s.size() != out.size()) {
          fail(k, loc, "operand " + std::to_string(j) + " " + describe(*in[j]) + " does not match " + describe(*in[0]));
        }
        for (std::size_t i = 0; i < s.size(); ++i) {
          if (i == ax) {
            if (out[i] == -1 || s[i] == -1)
              out[i] = -1;
            else if (__builtin_add_overflow(out[i], s[i], &out[i]))
              fail(k, loc,
                   "axis " + std::to_string(a.axis) +
                       " of the result is longer than a 64-bit dimension can hold (operand " + std::to_string(j) + " " +
                       describe(*in[j]) + ")");
          } else if (s[i] != out[i] && s[i] != -1 && out[i] != -1) {
            fail(k, loc,
                 "operand " + std::to_string(j) + " " + describe(*in[j]) + " does not match " + describe(*in[0]) +
                     " outside axis " + std::to_string(a.axis));
          }
        }
      }
      return {in[0]->type, out};
    }
    case op_kind::gather: {
      expect_inputs(k, in, 2, loc);
      if (!is_integer(in[1]->type)) fail(k, loc, "indices must be int32 or int64, got " + describe(*in[1]));
      auto r = static_cast<std::int64_t>(in[0]->shape.size());
      if (r == 0) fail(k, loc, "cannot gather from a scalar");
      auto ax = static_cast<std::size_t>(normalize_axis(a.axis, r, k, loc));
      shape_t out(in[0]->shape.begin(), in[0]->shape.begin() + static_cast<std::ptrdiff_t>(ax));
      out.insert(out.end(), in[1]->shape.begin(), in[1]->shape.end());
      out.insert(out.end(), in[0]->shape.begin() + static_cast<std::ptrdiff_t>(ax) + 1, in[0]->shape.end());
      return {in[0]->type, out};
    }
    case op_kind::one_hot: {
      expect_inputs(k, in, 1, loc);
      if (!is_integer(in[0]->type)) fail(k, loc, "indices must be int32 or int64, got " + describe(*in[0]));
      if (a.axis <= 0) fail(k, loc, "depth must be positive, got " + std::to_string(a.axis));
      auto out = in[0]->shape;
      out.push_back(a.axis);
      return {a.to, out};
    }
    case op_kind::broadcast_to: {
      expect_inputs(k, in, 1, loc);
      check_shape_literal(k, a.ints, loc, false);
      auto s = broadcast_shapes(in[0]->shape, a.ints, k, loc);
      if (s != a.ints) fail(k, loc, "cannot broadcast " + describe(*in[0]) + " to " + shape_string(a.ints));
      return {in[0]->type, s};
    }
    case op_kind::softmax:
    case op_kind::log_softmax: {
      expect_inputs(k, in, 1, loc);
      expect_float(k, *in[0], loc);
      normalize_axis(a.axis, static_cast<std::int64_t>(in[0]->shape.size()), k, loc);
      return *in[0];
    }
    case op_kind::sparse_xent:
    case op_kind::dense_xent: {
      expect_inputs(k, in, 2, loc);
      expect_float(k, *in[0], loc);
      const auto& s = in[0]->shape;
      if (s.size() != 2) fail(k, loc, "logits must be [batch, classes], got " + describe(*in[0]));
      if (k == op_kind::sparse_xent) {
        if (!is_integer(in[1]->type) || in[1]->shape.size() != 1 ||
            (in[1]->shape[0] != s[0] && in[1]->shape[0] != -1 && s[0] != -1)) {
          fail(k, loc, "labels must be integer [batch] for logits " + describe(*in[0]) + ", got " + describe(*in[1]));
        }
      } else if (in[1]->type != dtype::float32 || in[1]->shape.size() != 2) {
        fail(k, loc, "labels must be float32 like logits " + describe(*in[0]) + ", got " + describe(*in[1]));
      } else {
        broadcast_shapes(s, in[1]->shape, k, loc);
      }
      return {dtype::float32, {s[0]}};
    }
    case op_kind::assign_variable:
    case op_kind::print:
      expect_inputs(k, in, 1, loc);
      return *in[0];
    case op_kind::fused_elementwise:
    case op_kind::fused_matmul:
    case op_kind::matmul_update:
    case op_kind::sparse_xent_grad:
    case op_kind::sparse_xent_backprop:
    case op_kind::xent_backprop_grad:
      fail(k, loc, "internal: fused nodes carry their own type");
    default:
      break;
  }
  fail(k, loc, "internal: no shape rule");
}

// True when every dimension is known or unknown (-1) and the known ones multiply to a byte count that
// fits a signed 64-bit offset: kernels index with int64 and allocations take size_t.
bool addressable(const value_type& v) {
  std::int64_t bytes = static_cast<std::int64_t>(dtype_size(v.type));
  for (auto d : v.shape)
    if (d == 0) return true;
  for (auto d : v.shape)
    if (d > 0 && __builtin_mul_overflow(bytes, d, &bytes)) return false;
  return true;
}

}  // namespace

value_type infer(op_kind k, const op_attrs& a, const std::vector<const value_type*>& in,
                 const std::source_location& loc) {
  auto out = shape_rule(k, a, in, loc);
  if (!addressable(out)) fail(k, loc, "result " + describe(out) + " has more bytes than a 64-bit size can count");
  return out;
}

}  // namespace tl::detail
