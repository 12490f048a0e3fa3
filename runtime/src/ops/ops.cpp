// The public op functions: each maps onto make_op with its op kind and attributes.
#include "tl/ops.h"

#include <numeric>

#include "core/code_location.h"
#include "hazards/baked_values.h"
#include "tl/error.h"
#include "tracer/trace.h"

namespace tl {

using detail::make_op;
using detail::op_attrs;
using detail::op_kind;

namespace {
// A concrete tensor used by an op while tracing is baked in; remember which handle named it.
void bake(const tensor& t, loc_t loc) {
  if (t.defined() && !t.is_symbolic()) detail::note_baked(&t, sizeof(tensor), detail::baked_kind::tensor_handle, loc);
}
tensor unary(op_kind k, const tensor& a, loc_t loc, op_attrs attrs = {}) {
  bake(a, loc);
  return make_op(k, std::move(attrs), {a}, loc);
}
tensor binary(op_kind k, const tensor& a, const tensor& b, loc_t loc) {
  bake(a, loc);
  bake(b, loc);
  return make_op(k, {}, {a, b}, loc);
}
tensor source(op_kind k, op_attrs attrs, loc_t loc) { return make_op(k, std::move(attrs), {}, loc); }
// A host number meeting a tensor takes the tensor's dtype (as in NumPy's weak scalar rule).
tensor scalar_like(const double& v, const tensor& like, loc_t loc) {
  return constant(v, like.defined() ? like.dtype() : dtype::float32, loc);
}
}  // namespace

tensor fill(shape_t shape, const double& value, dtype t, loc_t loc) {
  detail::note_baked(&value, sizeof(double), detail::baked_kind::host_double, loc);
  op_attrs a;
  a.ints = std::move(shape);
  a.scalar = value;
  a.to = t;
  return source(op_kind::fill, std::move(a), loc);
}
tensor zeros(shape_t shape, dtype t, loc_t loc) { return fill(std::move(shape), 0.0, t, loc); }
tensor ones(shape_t shape, dtype t, loc_t loc) { return fill(std::move(shape), 1.0, t, loc); }
tensor constant(const double& value, dtype t, loc_t loc) { return fill({}, value, t, loc); }

tensor arange(std::int64_t start, std::int64_t stop, std::int64_t step, dtype t, loc_t loc) {
  if (t == dtype::bool_)
    throw tl::error("tl::arange: dtype bool is not supported (called at " + format_location(loc) + ")");
  op_attrs a;
  a.ints = {start};
  a.ints2 = {stop};
  a.scalar2 = static_cast<double>(step);
  a.to = t;
  return source(op_kind::arange, std::move(a), loc);
}

tensor add(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::add, a, b, loc); }
tensor sub(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::sub, a, b, loc); }
tensor mul(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::mul, a, b, loc); }
tensor div(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::div, a, b, loc); }
tensor pow(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::pow, a, b, loc); }
tensor maximum(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::maximum, a, b, loc); }
tensor minimum(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::minimum, a, b, loc); }
tensor neg(const tensor& a, loc_t loc) { return unary(op_kind::neg, a, loc); }

tensor equal(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::equal, a, b, loc); }
tensor not_equal(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::not_equal, a, b, loc); }
tensor less(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::less, a, b, loc); }
tensor less_equal(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::less_equal, a, b, loc); }
tensor greater(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::greater, a, b, loc); }
tensor greater_equal(const tensor& a, const tensor& b, loc_t loc) { return binary(op_kind::greater_equal, a, b, loc); }
tensor where(const tensor& c, const tensor& a, const tensor& b, loc_t loc) {
  bake(c, loc);
  bake(a, loc);
  bake(b, loc);
  return make_op(op_kind::where, {}, {c, a, b}, loc);
}

#define TL_UNARY_FLOAT_OP(name, value, gradient) \
  tensor name(const tensor& a, loc_t loc) { return unary(op_kind::name, a, loc); }
#include "graph/unary_ops.def"
tensor relu(const tensor& a, loc_t loc) { return unary(op_kind::relu, a, loc); }
tensor abs(const tensor& a, loc_t loc) { return unary(op_kind::abs, a, loc); }
tensor square(const tensor& a, loc_t loc) { return unary(op_kind::square, a, loc); }

tensor matmul(const tensor& a, const tensor& b, bool ta, bool tb, loc_t loc) {
  op_attrs at;
  at.transpose_a = ta;
  at.transpose_b = tb;
  bake(a, loc);
  bake(b, loc);
  return make_op(op_kind::matmul, std::move(at), {a, b}, loc);
}

namespace {
tensor reduction(op_kind k, const tensor& a, axes_t axes, bool keepdims, loc_t loc) {
  op_attrs at;
  at.ints = std::move(axes);
  at.keepdims = keepdims;
  return unary(k, a, loc, std::move(at));
}
}  // namespace

tensor sum(const tensor& a, axes_t axes, bool keepdims, loc_t loc) {
  return reduction(op_kind::sum, a, std::move(axes), keepdims, loc);
}
tensor mean(const tensor& a, axes_t axes, bool keepdims, loc_t loc) {
  return reduction(op_kind::mean, a, std::move(axes), keepdims, loc);
}
tensor max(const tensor& a, axes_t axes, bool keepdims, loc_t loc) {
  return reduction(op_kind::max, a, std::move(axes), keepdims, loc);
}
tensor argmax(const tensor& a, std::int64_t axis, bool keepdims, loc_t loc) {
  op_attrs at;
  at.axis = axis;
  at.keepdims = keepdims;
  return unary(op_kind::argmax, a, loc, std::move(at));
}

tensor reshape(const tensor& a, shape_t shape, loc_t loc) {
  op_attrs at;
  at.ints = std::move(shape);
  return unary(op_kind::reshape, a, loc, std::move(at));
}

tensor transpose(const tensor& a, axes_t perm, loc_t loc) {
  if (perm.empty() && a.defined()) {
    perm.resize(a.shape().size());
    std::iota(perm.rbegin(), perm.rend(), 0);
  }
  op_attrs at;
  at.ints = std::move(perm);
  return unary(op_kind::transpose, a, loc, std::move(at));
}

tensor slice(const tensor& a, std::vector<std::int64_t> begin, std::vector<std::int64_t> size, loc_t loc) {
  op_attrs at;
  at.ints = std::move(begin);
  at.ints2 = std::move(size);
  return unary(op_kind::slice, a, loc, std::move(at));
}

tensor concat(const std::vector<tensor>& parts, std::int64_t axis, loc_t loc) {
  op_attrs at;
  at.axis = axis;
  return make_op(op_kind::concat, std::move(at), parts, loc);
}

tensor gather(const tensor& params, const tensor& indices, std::int64_t axis, loc_t loc) {
  op_attrs at;
  at.axis = axis;
  bake(params, loc);
  bake(indices, loc);
  return make_op(op_kind::gather, std::move(at), {params, indices}, loc);
}

tensor one_hot(const tensor& indices, std::int64_t depth, dtype t, loc_t loc) {
  op_attrs at;
  at.axis = depth;
  at.to = t;
  return unary(op_kind::one_hot, indices, loc, std::move(at));
}

tensor cast(const tensor& a, dtype t, loc_t loc) {
  op_attrs at;
  at.to = t;
  return unary(op_kind::cast, a, loc, std::move(at));
}

tensor broadcast_to(const tensor& a, shape_t shape, loc_t loc) {
  op_attrs at;
  at.ints = std::move(shape);
  return unary(op_kind::broadcast_to, a, loc, std::move(at));
}

tensor softmax(const tensor& logits, std::int64_t axis, loc_t loc) {
  op_attrs at;
  at.axis = axis;
  return unary(op_kind::softmax, logits, loc, std::move(at));
}

tensor log_softmax(const tensor& logits, std::int64_t axis, loc_t loc) {
  op_attrs at;
  at.axis = axis;
  return unary(op_kind::log_softmax, logits, loc, std::move(at));
}

tensor sparse_softmax_cross_entropy(const tensor& logits, const tensor& labels, loc_t loc) {
  return binary(op_kind::sparse_xent, logits, labels, loc);
}

tensor softmax_cross_entropy(const tensor& logits, const tensor& labels, loc_t loc) {
  return binary(op_kind::dense_xent, logits, labels, loc);
}

tensor print(const tensor& value, std::string label, loc_t loc) {
  op_attrs at;
  at.label = std::move(label);
  return unary(op_kind::print, value, loc, std::move(at));
}

tensor operator+(const tensor& a, const tensor& b) {
  detail::operator_site site(__builtin_return_address(0));
  return add(a, b, {});
}
tensor operator-(const tensor& a, const tensor& b) {
  detail::operator_site site(__builtin_return_address(0));
  return sub(a, b, {});
}
tensor operator*(const tensor& a, const tensor& b) {
  detail::operator_site site(__builtin_return_address(0));
  return mul(a, b, {});
}
tensor operator/(const tensor& a, const tensor& b) {
  detail::operator_site site(__builtin_return_address(0));
  return div(a, b, {});
}
tensor operator-(const tensor& a) {
  detail::operator_site site(__builtin_return_address(0));
  return neg(a, {});
}
tensor operator+(const tensor& a, const double& b) {
  detail::operator_site site(__builtin_return_address(0));
  return add(a, scalar_like(b, a, {}), {});
}
tensor operator-(const tensor& a, const double& b) {
  detail::operator_site site(__builtin_return_address(0));
  return sub(a, scalar_like(b, a, {}), {});
}
tensor operator*(const tensor& a, const double& b) {
  detail::operator_site site(__builtin_return_address(0));
  return mul(a, scalar_like(b, a, {}), {});
}
tensor operator/(const tensor& a, const double& b) {
  detail::operator_site site(__builtin_return_address(0));
  return div(a, scalar_like(b, a, {}), {});
}
tensor operator+(const double& a, const tensor& b) {
  detail::operator_site site(__builtin_return_address(0));
  return add(scalar_like(a, b, {}), b, {});
}
tensor operator-(const double& a, const tensor& b) {
  detail::operator_site site(__builtin_return_address(0));
  return sub(scalar_like(a, b, {}), b, {});
}
tensor operator*(const double& a, const tensor& b) {
  detail::operator_site site(__builtin_return_address(0));
  return mul(scalar_like(a, b, {}), b, {});
}
tensor operator/(const double& a, const tensor& b) {
  detail::operator_site site(__builtin_return_address(0));
  return div(scalar_like(a, b, {}), b, {});
}

}  // namespace tl
