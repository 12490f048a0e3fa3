#pragma once
// The tracer: the per-thread stack of graphs under construction, and make_op, the one entry point
// through which every op runs, eagerly or into the innermost trace.
#include <cstdint>
#include <memory>
#include <source_location>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/tensor_impl.h"
#include "graph/graph.h"
#include "tl/tensor.h"

namespace tl::detail {

class baked_values;

struct trace_state {
  graph g;
  std::uint64_t serial = 0;
  std::string function_name;
  std::source_location function_created_at;
  bool first_trace = true;
  // Verify mode's retrace of a cached signature: what would be an error is reported, not thrown,
  // so the program runs on as it does without verification.
  bool verification = false;
  // Concrete tensors the trace used, baked in as constant nodes (one node per tensor).
  std::unordered_map<const tensor_impl*, int> captured;
  // Keeps captured tensors alive for the trace, so a freed tensor's address is never mistaken for
  // a new tensor's in `captured`.
  std::vector<std::shared_ptr<tensor_impl>> captured_alive;
  // Variables created during this trace (the create-once rule allows them on the first trace only).
  std::vector<std::shared_ptr<variable_state>> created_variables;
  // Host values baked into this graph that replays check for changes (trace-stale-capture).
  baked_values* baked = nullptr;
  // Nodes recorded inside a tensor operator (no source_location): the operator's return address,
  // symbolized only when a hazard names the node.
  std::unordered_map<int, const void*> op_sites;
  // Every symbolic tensor the trace made: one still alive when the trace ends was stored in state
  // that outlives the call (trace-tensor-leak at trace time, not only at a later use).
  std::vector<std::weak_ptr<tensor_impl>> symbolic_made;
};

// "file:line" of node `id` of the trace: its source location, else its operator's call site, else "".
std::string node_location(const trace_state& tr, int id);

trace_state* current_trace();
// RAII: makes `t` the innermost trace of this thread for the scope.
class trace_scope {
 public:
  explicit trace_scope(trace_state& t);
  ~trace_scope();
  trace_scope(const trace_scope&) = delete;
  trace_scope& operator=(const trace_scope&) = delete;
};
std::uint64_t next_trace_serial();

// Applies an op: checks operands, infers the result type, then either runs the kernel now (no trace
// active) or appends a node to the innermost trace; records it on active gradient tapes.
tensor make_op(op_kind k, op_attrs attrs, const std::vector<tensor>& inputs, const std::source_location& loc);

// Node id of `t` inside trace `tr`, capturing a concrete tensor as a constant on first use.
int node_of(trace_state& tr, const tensor& t, const std::source_location& loc);

// Throws when a symbolic tensor is used outside the trace that produced it.
void check_live(const tensor& t, const char* what, const std::source_location& loc);

// What a layer above hears of each eager op and each variable read as it happens: the autodiff
// layer's tapes install these when the runtime loads (the tracer cannot include the autodiff layer,
// which builds gradients from the public ops). Null: nobody listens.
struct eager_recorders {
  void (*on_op)(const node& n, const std::vector<tensor>& inputs, const tensor& output) = nullptr;
  void (*on_variable_read)(const variable_state* var, const tensor& value) = nullptr;
};
void set_eager_recorders(eager_recorders r);
const eager_recorders& recorders();

}  // namespace tl::detail
