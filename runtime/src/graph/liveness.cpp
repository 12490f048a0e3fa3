#include "graph/graph.h"

namespace tl::detail {

std::vector<bool> live_nodes(const graph& g) {
  std::vector<bool> live(g.nodes.size(), false);
  for (int o : g.outputs) live[static_cast<std::size_t>(o)] = true;
  for (int in : g.inputs) live[static_cast<std::size_t>(in)] = true;  // arguments keep their slots
  for (std::size_t i = g.nodes.size(); i-- > 0;) {
    // A stateful random op advances its stream when it runs, used or not, as in eager execution.
    if (has_side_effect(g.nodes[i].kind) || is_stateful(g.nodes[i].kind)) live[i] = true;
    if (!live[i]) continue;
    for (int in : g.nodes[i].inputs) live[static_cast<std::size_t>(in)] = true;
  }
  return live;
}

}  // namespace tl::detail
