// Graph passes, run once per trace.
#include <algorithm>
#include <memory>

#include "core/tensor_impl.h"
#include "executor/eager.h"
#include "executor/plan.h"
#include "graph/fused.h"

namespace tl::detail {
namespace {

// Folding a huge constant trades replay work for memory; random and fill sources above this size
// stay as nodes.
constexpr std::int64_t kMaxFoldElements = 1 << 22;

// Evaluates pure nodes whose operands are all constants, and fill and stateless random sources
// (stateful random ops are not pure: each replay draws new values).
void fold_constants(graph& g) {
  for (auto& n : g.nodes) {
    if (!is_pure(n.kind) || n.kind == op_kind::constant || n.kind == op_kind::fused_elementwise) continue;
    auto elems = num_elements(n.out.shape);
    if (elems < 0 || elems > kMaxFoldElements) continue;
    bool all_const = std::all_of(n.inputs.begin(), n.inputs.end(),
                                 [&](int i) { return g.nodes[static_cast<std::size_t>(i)].kind == op_kind::constant; });
    if (!all_const) continue;
    std::vector<std::shared_ptr<tensor_impl>> holders;
    std::vector<const tensor_impl*> ins;
    for (int i : n.inputs) {
      const auto& c = g.nodes[static_cast<std::size_t>(i)];
      holders.push_back(make_concrete(c.out, c.attrs.data));
      ins.push_back(holders.back().get());
    }
    auto value = run_eager(n, ins);
    n.kind = op_kind::constant;
    n.inputs.clear();
    auto loc = n.loc;
    n.attrs = op_attrs{};
    n.attrs.data = value->data;
    n.out = value->type;
    n.loc = loc;
  }
}

// A new graph of the nodes `keep(i)` selects, each as `make(i)` returns it, with operands, inputs
// and outputs renumbered. A node's operands must be kept nodes.
template <class Keep, class Make>
graph renumbered(const graph& g, Keep keep, Make make) {
  graph out;
  std::vector<int> remap(g.nodes.size(), -1);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    if (!keep(i)) continue;
    node n = make(i);
    for (int& in : n.inputs) in = remap[static_cast<std::size_t>(in)];
    remap[i] = static_cast<int>(out.nodes.size());
    out.nodes.push_back(std::move(n));
  }
  for (int in : g.inputs) out.inputs.push_back(remap[static_cast<std::size_t>(in)]);
  for (int o : g.outputs) out.outputs.push_back(remap[static_cast<std::size_t>(o)]);
  return out;
}

// Keeps what the outputs need and every side effect; renumbers nodes.
graph eliminate_dead(const graph& g) {
  auto live = live_nodes(g);
  return renumbered(
      g, [&](std::size_t i) { return static_cast<bool>(live[i]); }, [&](std::size_t i) { return g.nodes[i]; });
}

bool fusible(const node& n) {
  if (n.out.type != dtype::float32 || num_elements(n.out.shape) < 0) return false;
  return is_elementwise_unary(n.kind) || is_elementwise_binary(n.kind);
}

// Merges float32 elementwise nodes whose intermediate values have exactly one consumer into
// fused_elementwise nodes. Every operand of a fused node has the output's shape or is a scalar.
graph fuse_elementwise(const graph& g) {
  auto count = g.nodes.size();
  std::vector<int> uses(count, 0);
  for (const auto& n : g.nodes)
    for (int in : n.inputs) ++uses[static_cast<std::size_t>(in)];
  for (int o : g.outputs) uses[static_cast<std::size_t>(o)] += 2;
  // group[i]: the fused group root that absorbs node i (-1: not absorbed).
  std::vector<int> absorbed_by(count, -1);
  std::vector<std::vector<int>> members(count);
  std::vector<int> regs(count, 0);  // registers the group rooted here needs
  auto operand_ok = [&](const node& n, int in) {
    const auto& t = g.nodes[static_cast<std::size_t>(in)].out;
    return t.type == dtype::float32 && (t.shape == n.out.shape || num_elements(t.shape) == 1);
  };
  for (std::size_t i = 0; i < count; ++i) {
    const auto& n = g.nodes[i];
    if (!fusible(n)) continue;
    bool ok = true;
    for (int in : n.inputs) ok &= operand_ok(n, in);
    if (!ok) continue;
    members[i] = {static_cast<int>(i)};
    regs[i] = static_cast<int>(n.inputs.size()) + 1;
    for (int in : n.inputs) {
      auto p = static_cast<std::size_t>(in);
      if (members[p].empty() || uses[p] != 1 || g.nodes[p].out.shape != n.out.shape) continue;
      if (regs[i] + regs[p] > fused_program::kMaxRegs) continue;
      for (int m : members[p]) absorbed_by[static_cast<std::size_t>(m)] = static_cast<int>(i);
      members[i].insert(members[i].end(), members[p].begin(), members[p].end());
      regs[i] += regs[p];
      members[p].clear();
    }
  }
  auto keep = [&](std::size_t i) { return absorbed_by[i] < 0; };
  return renumbered(g, keep, [&](std::size_t i) {
    node n = g.nodes[i];
    if (members[i].size() >= 2) {
      std::sort(members[i].begin(), members[i].end());
      auto prog = std::make_shared<fused_program>();
      std::vector<int> ext;  // external operands (old ids)
      std::vector<int> reg_of(count, -1);
      for (int m : members[i])
        for (int in : g.nodes[static_cast<std::size_t>(m)].inputs)
          if (std::find(members[i].begin(), members[i].end(), in) == members[i].end() &&
              std::find(ext.begin(), ext.end(), in) == ext.end())
            ext.push_back(in);
      prog->num_inputs = static_cast<int>(ext.size());
      for (std::size_t j = 0; j < ext.size(); ++j) reg_of[static_cast<std::size_t>(ext[j])] = static_cast<int>(j);
      int next = prog->num_inputs;
      for (int m : members[i]) {
        const auto& mn = g.nodes[static_cast<std::size_t>(m)];
        fused_program::instr ins{mn.kind, next, reg_of[static_cast<std::size_t>(mn.inputs[0])],
                                 mn.inputs.size() > 1 ? reg_of[static_cast<std::size_t>(mn.inputs[1])] : -1};
        reg_of[static_cast<std::size_t>(m)] = next++;
        prog->code.push_back(ins);
      }
      prog->num_regs = next;
      n.kind = op_kind::fused_elementwise;
      n.inputs = ext;
      n.attrs = op_attrs{};
      n.attrs.program = std::move(prog);
    }
    return n;
  });
}

}  // namespace

graph optimize(graph g) {
  fold_constants(g);
  g = eliminate_dead(g);
  return fuse_elementwise(g);
}

}  // namespace tl::detail
