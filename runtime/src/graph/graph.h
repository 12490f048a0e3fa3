#pragma once
// The graph a trace records, and the op vocabulary shared by eager execution, tracing, autodiff and
// the executor. One op kind = one shape/dtype rule (infer) + one kernel + one gradient rule.
#include <atomic>
#include <cstdint>
#include <memory>
#include <source_location>
#include <string>
#include <vector>

#include "core/value_type.h"
#include "tl/dtype.h"

namespace tl::detail {

struct storage;
struct variable_state;
struct fused_program;

// The state of a stateful random op or generator: a seed and the number of draws taken so far. Draw
// d of seed s is a pure function of (s, d), so a run is reproducible from its seeds while every
// execution (eager call, or replay of the graph holding the op) draws new values, as TF's kernels do.
struct random_stream {
  explicit random_stream(std::uint64_t s) : seed(s) {}
  std::uint64_t seed;
  std::atomic<std::uint64_t> next_draw{0};
};

// The op kinds are laid out by family; clang-format would reflow them into one run.
// clang-format off
#define TL_OP_KINDS(X)                                                                              \
  X(placeholder) X(constant) X(read_variable) X(fill) X(arange) X(random_normal) X(random_uniform) \
  X(stateless_normal) X(stateless_uniform) X(zeros_like) X(ones_like)                               \
  X(add) X(sub) X(mul) X(div) X(pow) X(maximum) X(minimum)                                          \
  X(equal) X(not_equal) X(less) X(less_equal) X(greater) X(greater_equal)                           \
  X(neg) X(relu) X(abs) X(square) X(relu_grad)                                                      \
  X(where) X(cast) X(matmul) X(sum) X(mean) X(max) X(argmax)                                        \
  X(reshape) X(transpose) X(slice) X(concat) X(gather) X(one_hot) X(broadcast_to)                   \
  X(softmax) X(log_softmax) X(sparse_xent) X(dense_xent)                                            \
  X(sum_to_like) X(reshape_like) X(reduce_grad) X(slice_grad) X(gather_grad)                        \
  X(assign_variable) X(print) X(fused_elementwise)                                                 \
  X(fused_matmul) X(matmul_update) X(sparse_xent_grad) X(sparse_xent_backprop) X(xent_backprop_grad)
// clang-format on

// Every op kind: the list above, then the float unary ops of graph/unary_ops.def.
enum class op_kind : std::uint8_t {
#define TL_ENUM(name) name,
  TL_OP_KINDS(TL_ENUM)
#undef TL_ENUM
#define TL_UNARY_FLOAT_OP(name, value, gradient) name,
#include "graph/unary_ops.def"
};

const char* op_name(op_kind k);

// `initialize`: set on the graph's first run only, for a variable a trace created from a traced
// value (TF runs such an initializer inside the function, under an "is initialized" condition).
enum class assign_mode : std::uint8_t { set, add, sub, initialize };

struct op_attrs {
  std::vector<std::int64_t> ints;   // axes, permutation, slice begin, target shape
  std::vector<std::int64_t> ints2;  // slice sizes
  std::int64_t axis = 0;
  bool keepdims = false;
  bool transpose_a = false, transpose_b = false;
  double scalar = 0, scalar2 = 0;
  std::uint64_t seed = 0;
  dtype to = dtype::float32;
  assign_mode mode = assign_mode::set;
  bool relu_epilogue = false;  // fused_matmul: relu(a b + bias)
  std::string label;
  std::shared_ptr<variable_state> var;
  std::shared_ptr<storage> data;  // constant payload
  std::shared_ptr<const fused_program> program;
  std::shared_ptr<random_stream> rng;  // stateful random ops: the stream each execution draws from
};

struct node {
  op_kind kind;
  op_attrs attrs;
  std::vector<int> inputs;
  value_type out;
  std::source_location loc;
};

struct graph {
  std::vector<node> nodes;
  std::vector<int> inputs;   // placeholder node ids, in argument order
  std::vector<int> outputs;  // node ids returned to the caller
};

// Shape and dtype rule of an op; throws tl::error naming the op, the operands and the location.
// Unknown dimensions (-1) propagate; every rule is also re-run with concrete shapes at plan time.
value_type infer(op_kind k, const op_attrs& a, const std::vector<const value_type*>& in,
                 const std::source_location& loc);

bool is_elementwise_unary(op_kind k);
bool is_elementwise_binary(op_kind k);
bool has_side_effect(op_kind k);
// Nodes the executor's passes make (executor/optimize.cpp), never recorded by a trace: they carry their
// own concrete type, have no shape rule and no gradient.
//   fused_matmul(a, b[, bias]): a b (transposes in attrs) + bias, then relu when attrs.relu_epilogue.
//   matmul_update(a, b): attrs.var = attrs.scalar2 * var + attrs.scalar * a b, in place (one sgemm
//     with alpha and beta); an effect, like assign_variable, at its place in program order.
//   sparse_xent_grad(logits, labels, g): (softmax(logits) - one_hot(labels)) * g[row], one pass per row.
//   sparse_xent_backprop(logits, labels): softmax cross-entropy's forward and backward in one pass per
//     row, as TF's SparseSoftmaxCrossEntropyWithLogits: a flat [rows + rows * cols] float buffer holding
//     the loss per row, then softmax(logits) - one_hot(labels) (a slice takes the loss out).
//   xent_backprop_grad(backprop, g): the gradient from that buffer's second part, scaled by g[row].
bool is_executor_fused(op_kind k);
// Ops whose result differs on every execution with the same inputs (stateful random ops): never
// folded to a constant, never dropped as dead code, but still computable when a variable's
// initializer is lifted out of a trace.
bool is_stateful(op_kind k);
bool is_source(op_kind k);  // no inputs, value from attrs or from outside the graph
// Pure ops whose result depends only on inputs and attrs (constant folding may evaluate them).
bool is_pure(op_kind k);

// Nodes the graph's outputs need, its arguments, and every node with an effect (assignments,
// prints, stateful random ops); the rest is dead code.
std::vector<bool> live_nodes(const graph& g);

// Normalizes a possibly negative axis against a rank; throws with the op name when out of range.
std::int64_t normalize_axis(std::int64_t axis, std::int64_t rank, op_kind k, const std::source_location& loc);
shape_t broadcast_shapes(const shape_t& a, const shape_t& b, op_kind k, const std::source_location& loc);

}  // namespace tl::detail
