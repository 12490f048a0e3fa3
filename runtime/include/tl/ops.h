#pragma once
// Ops. Each infers its result's dtype and shape, and throws tl::error naming the op, the operands'
// shapes or dtypes and the caller's location on misuse. Outside a trace an op runs at once; inside
// a trace it adds a node to the graph being built.
#include <cstdint>
#include <source_location>
#include <string>
#include <vector>

#include "tl/tensor.h"

namespace tl {

using loc_t = std::source_location;
using axes_t = std::vector<std::int64_t>;

// Creation
tensor zeros(shape_t shape, tl::dtype t = dtype::float32, loc_t loc = loc_t::current());
tensor ones(shape_t shape, tl::dtype t = dtype::float32, loc_t loc = loc_t::current());
tensor fill(shape_t shape, const double& value, tl::dtype t = dtype::float32, loc_t loc = loc_t::current());
tensor arange(std::int64_t start, std::int64_t stop, std::int64_t step = 1, tl::dtype t = dtype::int64,
              loc_t loc = loc_t::current());
// A host scalar as a tensor: inside a trace it is baked into the graph as a constant. Host values
// are taken by reference so that the runtime can tell, on replay, when the variable they came from
// has changed since the trace (trace-stale-capture).
tensor constant(const double& value, tl::dtype t = dtype::float32, loc_t loc = loc_t::current());

// Elementwise arithmetic with NumPy broadcasting
tensor add(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor sub(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor mul(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor div(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor pow(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor maximum(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor minimum(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor neg(const tensor& a, loc_t loc = loc_t::current());

// Comparisons (result dtype bool) and selection
tensor equal(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor not_equal(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor less(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor less_equal(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor greater(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor greater_equal(const tensor& a, const tensor& b, loc_t loc = loc_t::current());
tensor where(const tensor& cond, const tensor& a, const tensor& b, loc_t loc = loc_t::current());

// Unary math
tensor exp(const tensor& a, loc_t loc = loc_t::current());
tensor log(const tensor& a, loc_t loc = loc_t::current());
tensor sqrt(const tensor& a, loc_t loc = loc_t::current());
tensor tanh(const tensor& a, loc_t loc = loc_t::current());
tensor sigmoid(const tensor& a, loc_t loc = loc_t::current());
tensor softplus(const tensor& a, loc_t loc = loc_t::current());  // log(1 + exp(a))
tensor relu(const tensor& a, loc_t loc = loc_t::current());
tensor abs(const tensor& a, loc_t loc = loc_t::current());
tensor square(const tensor& a, loc_t loc = loc_t::current());

// Linear algebra: batched, batch dimensions broadcast
tensor matmul(const tensor& a, const tensor& b, bool transpose_a = false, bool transpose_b = false,
              loc_t loc = loc_t::current());

// Reductions; empty axes means all axes; negative axes count from the end
tensor sum(const tensor& a, axes_t axes = {}, bool keepdims = false, loc_t loc = loc_t::current());
tensor mean(const tensor& a, axes_t axes = {}, bool keepdims = false, loc_t loc = loc_t::current());
tensor max(const tensor& a, axes_t axes = {}, bool keepdims = false, loc_t loc = loc_t::current());
tensor argmax(const tensor& a, std::int64_t axis, bool keepdims = false, loc_t loc = loc_t::current());

// Shape manipulation
tensor reshape(const tensor& a, shape_t shape, loc_t loc = loc_t::current());       // one -1 is inferred
tensor transpose(const tensor& a, axes_t perm = {}, loc_t loc = loc_t::current());  // empty: reverse
tensor slice(const tensor& a, std::vector<std::int64_t> begin, std::vector<std::int64_t> size,
             loc_t loc = loc_t::current());  // size -1: to the end
tensor concat(const std::vector<tensor>& parts, std::int64_t axis, loc_t loc = loc_t::current());
tensor gather(const tensor& params, const tensor& indices, std::int64_t axis = 0, loc_t loc = loc_t::current());
tensor one_hot(const tensor& indices, std::int64_t depth, tl::dtype t = dtype::float32, loc_t loc = loc_t::current());
tensor cast(const tensor& a, tl::dtype t, loc_t loc = loc_t::current());
tensor broadcast_to(const tensor& a, shape_t shape, loc_t loc = loc_t::current());

// Neural-network ops
tensor softmax(const tensor& logits, std::int64_t axis = -1, loc_t loc = loc_t::current());
tensor log_softmax(const tensor& logits, std::int64_t axis = -1, loc_t loc = loc_t::current());
// Per-example losses [batch]: labels are class indices (int32/int64) of shape [batch]...
tensor sparse_softmax_cross_entropy(const tensor& logits, const tensor& labels, loc_t loc = loc_t::current());
// ...or probabilities with the logits' shape.
tensor softmax_cross_entropy(const tensor& logits, const tensor& labels, loc_t loc = loc_t::current());

// A graph-side effect: prints on every call of a traced function (host std::cout would print only
// while tracing). Returns its input so it can be chained.
tensor print(const tensor& value, std::string label = {}, loc_t loc = loc_t::current());

// Operators: the same ops. C++ operators take no extra arguments, so their caller's location is
// found from the return address (symbolized from debug information) when an error or hazard needs it.
tensor operator+(const tensor& a, const tensor& b);
tensor operator-(const tensor& a, const tensor& b);
tensor operator*(const tensor& a, const tensor& b);
tensor operator/(const tensor& a, const tensor& b);
tensor operator-(const tensor& a);
tensor operator+(const tensor& a, const double& b);
tensor operator-(const tensor& a, const double& b);
tensor operator*(const tensor& a, const double& b);
tensor operator/(const tensor& a, const double& b);
tensor operator+(const double& a, const tensor& b);
tensor operator-(const double& a, const tensor& b);
tensor operator*(const double& a, const tensor& b);
tensor operator/(const double& a, const tensor& b);

}  // namespace tl
