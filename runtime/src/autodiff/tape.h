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
  std::vector<tape_entry> entries;
  // Tensors whose gradient can be asked for, and everything computed from them.
  std::unordered_set<const tensor_impl*> tracked;
  std::vector<std::pair<const variable_state*, tensor>> variable_reads;
};

// Records an op on every active tape of this thread that tracks one of its inputs.
void record_on_tapes(const node& n, const std::vector<tensor>& inputs, const tensor& output);
// A trainable variable read while tapes are active: its value is watched.
void record_variable_read(const variable_state* var, const tensor& value);

// Gradient of target with respect to each source (zeros where target does not depend on it).
std::vector<tensor> vjp(const tape_entry& e, const tensor& grad);
tensor ones_like_internal(const tensor& t);

}  // namespace tl::detail
