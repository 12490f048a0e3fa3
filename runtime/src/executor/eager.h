#pragma once
// One node run on concrete tensors: an eager op, a constant folded while optimizing a graph, a
// variable's initial value computed while tracing.
#include <memory>
#include <vector>

#include "core/tensor_impl.h"
#include "graph/graph.h"

namespace tl::detail {

std::shared_ptr<tensor_impl> run_eager(const node& n, const std::vector<const tensor_impl*>& inputs);

}  // namespace tl::detail
