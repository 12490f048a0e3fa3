// Gradient rules: one per differentiable op kind, written with tl ops so that the backward pass is
// eager outside a trace and graph ops inside one.
#include <numeric>

#include "autodiff/tape.h"
#include "tl/error.h"
#include "tl/ops.h"
#include "tracer/trace.h"

namespace tl::detail {
namespace {

tensor internal(op_kind k, const std::vector<tensor>& in, op_attrs a = {}) {
  return make_op(k, std::move(a), in, std::source_location::current());
}
tensor sum_to_like(const tensor& g, const tensor& x) {
  if (g.shape() == x.shape() && num_elements(g.shape()) >= 0) return g;
  return internal(op_kind::sum_to_like, {g, x});
}
tensor reduce_grad(const tensor& g, const tensor& x, const std::vector<std::int64_t>& axes, bool mean) {
  op_attrs a;
  a.ints = axes;
  a.scalar = mean ? 1 : 0;
  return internal(op_kind::reduce_grad, {g, x}, std::move(a));
}
// [N] -> [N, 1], so per-row gradients broadcast over classes.
tensor column(const tensor& g) { return reshape(g, {-1, 1}); }

}  // namespace

std::vector<tensor> vjp(const tape_entry& e, const tensor& g) {
  const auto& in = e.inputs;
  const tensor& y = e.output;
  switch (e.kind) {
    case op_kind::add:
      return {sum_to_like(g, in[0]), sum_to_like(g, in[1])};
    case op_kind::sub:
      return {sum_to_like(g, in[0]), sum_to_like(neg(g), in[1])};
    case op_kind::mul:
      return {sum_to_like(g * in[1], in[0]), sum_to_like(g * in[0], in[1])};
    case op_kind::div:
      return {sum_to_like(g / in[1], in[0]), sum_to_like(neg(g) * in[0] / (in[1] * in[1]), in[1])};
    case op_kind::pow:
      return {sum_to_like(g * in[1] * pow(in[0], in[1] - 1.0), in[0]), sum_to_like(g * y * log(in[0]), in[1])};
    case op_kind::maximum:
    case op_kind::minimum: {
      auto pick_a = e.kind == op_kind::maximum ? greater_equal(in[0], in[1]) : less_equal(in[0], in[1]);
      auto zero = internal(op_kind::zeros_like, {g});
      return {sum_to_like(where(pick_a, g, zero), in[0]), sum_to_like(where(pick_a, zero, g), in[1])};
    }
    case op_kind::neg:
      return {neg(g)};
#define TL_UNARY_FLOAT_OP(name, value, gradient) \
  case op_kind::name: {                          \
    [[maybe_unused]] const tensor& x = in[0];    \
    return {gradient};                           \
  }
#include "graph/unary_ops.def"
    case op_kind::relu:
      return {internal(op_kind::relu_grad, {g, in[0]})};
    case op_kind::abs:
      return {where(less(in[0], internal(op_kind::zeros_like, {in[0]})), neg(g), g)};
    case op_kind::square:
      return {g * in[0] * 2.0};
    case op_kind::where: {
      auto zero = internal(op_kind::zeros_like, {g});
      return {tensor(), sum_to_like(where(in[0], g, zero), in[1]), sum_to_like(where(in[0], zero, g), in[2])};
    }
    case op_kind::cast:
      if (in[0].dtype() != dtype::float32) return {tensor()};
      return {cast(g, dtype::float32)};
    case op_kind::matmul: {
      bool ta = e.attrs.transpose_a, tb = e.attrs.transpose_b;
      const tensor& a = in[0];
      const tensor& b = in[1];
      tensor ga = ta ? matmul(b, g, tb, true) : matmul(g, b, false, !tb);
      tensor gb = tb ? matmul(g, a, true, ta) : matmul(a, g, !ta, false);
      return {sum_to_like(ga, a), sum_to_like(gb, b)};
    }
    case op_kind::sum:
    case op_kind::mean:
      // reduce_grad reads g with the keepdims layout, which is g's layout with or without keepdims.
      return {reduce_grad(g, in[0], e.attrs.ints, e.kind == op_kind::mean)};
    case op_kind::max: {
      // The gradient is shared equally among the positions that attain the maximum (as in TF).
      auto mask = cast(equal(in[0], max(in[0], e.attrs.ints, true)), dtype::float32);
      auto count = sum(mask, e.attrs.ints, true);
      return {reduce_grad(g, in[0], e.attrs.ints, false) * mask / count};
    }
    case op_kind::reshape:
    case op_kind::reshape_like:
      return {internal(op_kind::reshape_like, {g, in[0]})};
    case op_kind::transpose: {
      std::vector<std::int64_t> inv(e.attrs.ints.size());
      for (std::size_t i = 0; i < inv.size(); ++i)
        inv[static_cast<std::size_t>(e.attrs.ints[i])] = static_cast<std::int64_t>(i);
      return {transpose(g, inv)};
    }
    case op_kind::slice: {
      op_attrs a;
      a.ints = e.attrs.ints;
      return {internal(op_kind::slice_grad, {g, in[0]}, std::move(a))};
    }
    case op_kind::concat: {
      std::vector<tensor> out;
      auto r = static_cast<std::int64_t>(y.shape().size());
      auto ax = static_cast<std::size_t>(e.attrs.axis < 0 ? e.attrs.axis + r : e.attrs.axis);
      std::int64_t at = 0;
      for (const auto& part : in) {
        std::vector<std::int64_t> begin(static_cast<std::size_t>(r), 0), size(static_cast<std::size_t>(r), -1);
        auto len = part.shape()[ax];
        if (len < 0) throw tl::error("tl::gradient: concat along an axis of unknown size is not differentiable");
        begin[ax] = at;
        size[ax] = len;
        at += len;
        out.push_back(slice(g, begin, size));
      }
      return out;
    }
    case op_kind::gather: {
      op_attrs a;
      a.axis = e.attrs.axis;
      return {internal(op_kind::gather_grad, {g, in[1], in[0]}, std::move(a)), tensor()};
    }
    case op_kind::broadcast_to:
      return {sum_to_like(g, in[0])};
    case op_kind::softmax: {
      auto dot = sum(g * y, {e.attrs.axis}, true);
      return {y * (g - dot)};
    }
    case op_kind::log_softmax:
      return {g - exp(y) * sum(g, {e.attrs.axis}, true)};
    case op_kind::sparse_xent: {
      auto p = softmax(in[0]);
      auto depth = in[0].shape()[1];
      return {(p - one_hot(in[1], depth)) * column(g), tensor()};
    }
    case op_kind::dense_xent: {
      auto p = softmax(in[0]);
      return {(p - in[1]) * column(g), sum_to_like(neg(log_softmax(in[0])) * column(g), in[1])};
    }
    case op_kind::print:
    case op_kind::assign_variable:
      return {g};
    default:
      // Comparisons, argmax, one_hot, fills, casts to integers: no gradient flows.
      return std::vector<tensor>(in.size());
  }
}

}  // namespace tl::detail
