#pragma once
#include <unordered_set>
#include <vector>

#include "core/tensor_impl.h"
#include "graph/graph.h"
#include "tl/tensor.h"

namespace tl::detail {

struct tape_entry {
  op_kind kind;
  op_attrs attrs;
  std::vector<tensor> inputs;
  tensor output;
};

struct tape_state {
  // The trace the tape was created in (nullptr: eagerly). A tape sees the ops of its own level only:
  // a traced call made under an eager tape is recorded when it runs, not while its graph is built,
  // as a tape outside tf.function sees the function's call and not the graph's construction.
  const trace_state* owner = nullptr;
  std::uint64_t owner_serial = 0;
  std::vector<tape_entry> entries;
  // Tensors whose gradient can be asked for, and everything computed from them.
  std::unordered_set<const tensor_impl*> tracked;
  std::vector<std::pair<const variable_state*, tensor>> variable_reads;
};

// Records an op on every active tape of this thread that tracks one of its inputs.
void record_on_tapes(const node& n, const std::vector<tensor>& inputs, const tensor& output);
// A trainable variable read while tapes are active: its value is watched.
void record_variable_read(const variable_state* var, const tensor& value);

// Whether a graph reads a trainable variable (tapes watch such reads automatically); computed once
// per trace, not per call.
bool reads_trainable_variable(const graph& g);
// True when an active tape of this thread needs a traced call's ops: it watches one of the call's
// tensor inputs, or the graph reads a trainable variable.
bool tapes_need_call(bool reads_trainable, const std::vector<tensor>& inputs);
// Runs a traced call's graph (as traced, before optimization) node by node as eager ops, so that the
// active tapes record each op and gradients flow through the call. No host code of the traced
// function runs again: this executes the same graph a replay does, unfused.
std::vector<tensor> run_call_on_tapes(const graph& g, const std::vector<tensor>& inputs);

// Gradient of target with respect to each source (zeros where target does not depend on it).
std::vector<tensor> vjp(const tape_entry& e, const tensor& grad);
tensor ones_like_internal(const tensor& t);

}  // namespace tl::detail
