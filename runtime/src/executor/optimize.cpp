// Graph passes, run once per trace.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/tensor_impl.h"
#include "executor/eager.h"
#include "executor/plan.h"
#include "graph/fused.h"
#include "kernels/kernels.h"

namespace tl::detail {
namespace {

// Folding a huge constant trades replay work for memory; random and fill sources above this size
// stay as nodes.
constexpr std::int64_t kMaxFoldElements = 1 << 22;

// Evaluates pure nodes whose operands are all constants, and fill and stateless random sources
// (stateful random ops are not pure: each replay draws new values).
void fold_constants(graph& g) {
  for (auto& n : g.nodes) {
    if (!is_pure(n.kind) || n.kind == op_kind::constant || is_executor_fused(n.kind)) continue;
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
graph fuse_elementwise(const graph& g, bool chains) {
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
      if (chains) linearize_program(*prog);
      n.kind = op_kind::fused_elementwise;
      n.inputs = ext;
      n.attrs = op_attrs{};
      n.attrs.program = std::move(prog);
    }
    return n;
  });
}

// ---- GEMM-level fusion -------------------------------------------------------------------------
// Rewrites nodes in place; the nodes they absorbed lose their last use and eliminate_dead drops them.
// Every rewrite keeps the node at the position of the last node it replaces, so variable reads and
// writes keep their order, and takes only values with exactly the uses it accounts for.

std::vector<int> use_counts(const graph& g) {
  std::vector<int> uses(g.nodes.size(), 0);
  for (const auto& n : g.nodes)
    for (int in : n.inputs) ++uses[static_cast<std::size_t>(in)];
  for (int o : g.outputs) uses[static_cast<std::size_t>(o)] += 2;  // an output is never absorbed
  return uses;
}

const node& at(const graph& g, int id) { return g.nodes[static_cast<std::size_t>(id)]; }

bool known_f32(const value_type& t) { return t.type == dtype::float32 && num_elements(t.shape) >= 0; }

// A rank-2 float32 matmul with known shapes (the only kind the fused kernels take).
bool plain_matmul(const graph& g, int id) {
  const auto& n = at(g, id);
  return n.kind == op_kind::matmul && known_f32(n.out) && n.out.shape.size() == 2 &&
         at(g, n.inputs[0]).out.shape.size() == 2 && at(g, n.inputs[1]).out.shape.size() == 2 &&
         known_f32(at(g, n.inputs[0]).out) && known_f32(at(g, n.inputs[1]).out);
}

bool scalar_constant(const graph& g, int id, float& value) {
  const auto& n = at(g, id);
  if (n.kind != op_kind::constant || n.out.type != dtype::float32 || num_elements(n.out.shape) != 1) return false;
  std::memcpy(&value, n.attrs.data->data, sizeof(float));
  return true;
}

// relu_grad(g, h) masks by h > 0, which is relu(h) > 0 (NaN and -0 included): reading relu's output
// instead leaves the pre-activation h to the relu alone, so that it can become a GEMM epilogue.
void mask_by_relu_output(graph& g) {
  std::vector<int> relu_of(g.nodes.size(), -1);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    auto& n = g.nodes[i];
    if (n.kind == op_kind::relu && n.out.type == dtype::float32)
      relu_of[static_cast<std::size_t>(n.inputs[0])] = static_cast<int>(i);
    if (n.kind == op_kind::relu_grad) {
      int r = relu_of[static_cast<std::size_t>(n.inputs[1])];
      if (r >= 0 && at(g, r).out.shape == at(g, n.inputs[1]).out.shape) n.inputs[1] = r;
    }
  }
}

// relu(matmul(a, b) + bias) and matmul(a, b) + bias -> fused_matmul(a, b, bias).
void fuse_matmul_epilogues(graph& g) {
  auto make = [&](node& n, int mm, int bias, bool relu) {
    const auto& p = at(g, mm);
    node f;
    f.kind = op_kind::fused_matmul;
    f.attrs.transpose_a = p.attrs.transpose_a;
    f.attrs.transpose_b = p.attrs.transpose_b;
    f.attrs.relu_epilogue = relu;
    f.inputs = {p.inputs[0], p.inputs[1]};
    if (bias >= 0) f.inputs.push_back(bias);
    f.out = n.out;
    f.loc = n.loc;
    n = std::move(f);
  };
  // The bias operand of add(x, y) when the other one is a single-use plain matmul; -1 otherwise.
  auto bias_add = [&](const std::vector<int>& uses, int id, int& mm) {
    const auto& n = at(g, id);
    if (n.kind != op_kind::add || !known_f32(n.out) || n.out.shape.size() != 2) return -1;
    for (int side = 0; side < 2; ++side) {
      int p = n.inputs[static_cast<std::size_t>(side)], b = n.inputs[static_cast<std::size_t>(1 - side)];
      if (!plain_matmul(g, p) || uses[static_cast<std::size_t>(p)] != 1 || at(g, p).out.shape != n.out.shape) continue;
      const auto& bs = at(g, b).out.shape;
      auto cols = n.out.shape[1];
      if (!known_f32(at(g, b).out) ||
          !((bs.size() == 1 && bs[0] == cols) || (bs.size() == 2 && bs[0] == 1 && bs[1] == cols)))
        continue;
      mm = p;
      return b;
    }
    return -1;
  };
  auto uses = use_counts(g);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    auto& n = g.nodes[i];
    if (n.kind != op_kind::relu || !known_f32(n.out) || n.out.shape.size() != 2) continue;
    int h = n.inputs[0], mm = -1;
    if (uses[static_cast<std::size_t>(h)] != 1) continue;
    if (int b = bias_add(uses, h, mm); b >= 0) {
      make(n, mm, b, true);
    } else if (plain_matmul(g, h)) {
      make(n, h, -1, true);
    }
  }
  uses = use_counts(g);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    int mm = -1;
    if (uses[i] == 0) continue;  // absorbed above
    if (int b = bias_add(uses, static_cast<int>(i), mm); b >= 0) make(g.nodes[i], mm, b, false);
  }
}

// var = beta * var + alpha * p's product, as one node.
node matmul_update(const node& p, const std::shared_ptr<variable_state>& var, double alpha, double beta,
                   const std::source_location& loc) {
  node u;
  u.kind = op_kind::matmul_update;
  u.attrs.var = var;
  u.attrs.transpose_a = p.attrs.transpose_a;
  u.attrs.transpose_b = p.attrs.transpose_b;
  u.attrs.scalar = alpha;
  u.attrs.scalar2 = beta;
  u.inputs = {p.inputs[0], p.inputs[1]};
  u.out = value_type{dtype::float32, {0}};
  u.loc = loc;
  return u;
}

// var.assign_add/assign_sub(matmul(a, b) * c) -> matmul_update(a, b): one sgemm with alpha = +-c and
// beta = 1 into the variable (SGD's W -= lr * X^T G).
void fuse_matmul_updates(graph& g) {
  auto uses = use_counts(g);
  for (auto& n : g.nodes) {
    if (n.kind != op_kind::assign_variable || n.out.type != dtype::float32) continue;
    if (n.attrs.mode != assign_mode::add && n.attrs.mode != assign_mode::sub) continue;
    // The node's value (its input, aliased) must not be used: the fused node computes no value.
    int self = static_cast<int>(&n - g.nodes.data());
    if (uses[static_cast<std::size_t>(self)] != 0) continue;
    int v = n.inputs[0], mm = -1;
    float scale = 1.f;
    if (plain_matmul(g, v) && uses[static_cast<std::size_t>(v)] == 1) {
      mm = v;
    } else if (at(g, v).kind == op_kind::mul && uses[static_cast<std::size_t>(v)] == 1) {
      for (int side = 0; side < 2; ++side) {
        int p = at(g, v).inputs[static_cast<std::size_t>(side)],
            c = at(g, v).inputs[static_cast<std::size_t>(1 - side)];
        if (plain_matmul(g, p) && uses[static_cast<std::size_t>(p)] == 1 && scalar_constant(g, c, scale)) {
          mm = p;
          break;
        }
      }
    }
    if (mm < 0 || at(g, mm).out.shape != n.attrs.var->type.shape) continue;
    double alpha = n.attrs.mode == assign_mode::sub ? -static_cast<double>(scale) : static_cast<double>(scale);
    n = matmul_update(at(g, mm), n.attrs.var, alpha, 1.0, n.loc);
  }
}

// SGD with momentum: m.assign(m * mu - matmul(a, b) * lr) and var.assign_add(of that value) ->
// matmul_update(a, b) into m with alpha = -lr and beta = mu (one sgemm, no temporary), then a read of m
// where the assignment was, which the other users of the value take instead.
void fuse_momentum_updates(graph& g) {
  auto uses = use_counts(g);
  auto count = static_cast<int>(g.nodes.size());
  for (int i = 0; i < count; ++i) {
    const auto& a1 = at(g, i);
    if (a1.kind != op_kind::assign_variable || a1.attrs.mode != assign_mode::set || a1.out.type != dtype::float32 ||
        uses[static_cast<std::size_t>(i)] != 0)
      continue;
    int v = a1.inputs[0];
    const auto& vn = at(g, v);
    if (vn.kind != op_kind::sub || !known_f32(vn.out)) continue;
    int x = vn.inputs[0], y = vn.inputs[1];
    if (at(g, x).kind != op_kind::mul || at(g, y).kind != op_kind::mul || uses[static_cast<std::size_t>(x)] != 1 ||
        uses[static_cast<std::size_t>(y)] != 1)
      continue;
    float beta = 0, alpha = 0;
    int read = -1, mm = -1;
    for (int side = 0; side < 2; ++side) {
      int r = at(g, x).inputs[static_cast<std::size_t>(side)], c = at(g, x).inputs[static_cast<std::size_t>(1 - side)];
      if (at(g, r).kind == op_kind::read_variable && at(g, r).attrs.var == a1.attrs.var && scalar_constant(g, c, beta))
        read = r;
      int p = at(g, y).inputs[static_cast<std::size_t>(side)], d = at(g, y).inputs[static_cast<std::size_t>(1 - side)];
      if (plain_matmul(g, p) && uses[static_cast<std::size_t>(p)] == 1 && scalar_constant(g, d, alpha)) mm = p;
    }
    if (read < 0 || mm < 0 || at(g, mm).out.shape != a1.attrs.var->type.shape) continue;
    // The update moves from the assignment to the value's place: nothing in between may touch the
    // variable, and every other user of the value must come after the assignment.
    bool ok = true;
    for (int j = v + 1; j < i && ok; ++j) {
      const auto& n = at(g, j);
      ok = !((n.kind == op_kind::read_variable || n.kind == op_kind::assign_variable) && n.attrs.var == a1.attrs.var);
    }
    for (int j = 0; j < count && ok; ++j)
      for (int in : at(g, j).inputs) ok &= in != v || j == i || j > i;
    if (!ok) continue;
    node u = matmul_update(at(g, mm), a1.attrs.var, -static_cast<double>(alpha), beta, a1.loc);
    node r;
    r.kind = op_kind::read_variable;
    r.attrs.var = a1.attrs.var;
    r.out = at(g, read).out;
    r.loc = at(g, read).loc;
    for (int j = i + 1; j < count; ++j)
      for (int& in : g.nodes[static_cast<std::size_t>(j)].inputs)
        if (in == v) in = i;
    g.nodes[static_cast<std::size_t>(v)] = std::move(u);
    g.nodes[static_cast<std::size_t>(i)] = std::move(r);
    uses = use_counts(g);
  }
}

// (softmax(logits) - one_hot(labels)) * column(g) -> sparse_xent_grad(logits, labels, g): sparse softmax
// cross-entropy's gradient rule (autodiff/gradients.cpp) in one pass per row.
void fuse_xent_gradients(graph& g) {
  auto uses = use_counts(g);
  for (auto& n : g.nodes) {
    if (n.kind != op_kind::mul || !known_f32(n.out) || n.out.shape.size() != 2) continue;
    auto rows = n.out.shape[0], cols = n.out.shape[1];
    for (int side = 0; side < 2; ++side) {
      int d = n.inputs[static_cast<std::size_t>(side)], gcol = n.inputs[static_cast<std::size_t>(1 - side)];
      const auto& dn = at(g, d);
      if (dn.kind != op_kind::sub || uses[static_cast<std::size_t>(d)] != 1 || dn.out.shape != n.out.shape) continue;
      const auto& sm = at(g, dn.inputs[0]);
      const auto& oh = at(g, dn.inputs[1]);
      if (sm.kind != op_kind::softmax || oh.kind != op_kind::one_hot || oh.attrs.to != dtype::float32) continue;
      if (uses[static_cast<std::size_t>(dn.inputs[0])] != 1 || uses[static_cast<std::size_t>(dn.inputs[1])] != 1)
        continue;
      if (sm.out.shape != n.out.shape || oh.out.shape != n.out.shape || oh.attrs.axis != cols) continue;
      if (!(sm.attrs.axis == 1 || sm.attrs.axis == -1)) continue;
      const auto& gs = at(g, gcol).out;
      if (!known_f32(gs) || gs.shape.size() != 2 || gs.shape[0] != rows || gs.shape[1] != 1) continue;
      int logits = sm.inputs[0], labels = oh.inputs[0];
      if (at(g, labels).out.shape.size() != 1) continue;
      node f;
      f.kind = op_kind::sparse_xent_grad;
      f.inputs = {logits, labels, gcol};
      f.out = n.out;
      f.loc = n.loc;
      n = std::move(f);
      break;
    }
  }
}

// sparse_xent(logits, labels) and, later, sparse_xent_grad(logits, labels, g) on the same operands ->
// b = sparse_xent_backprop(logits, labels), the loss as slice(b, 0, rows), and the gradient as
// xent_backprop_grad(b, g): the forward kernel computes the row's softmax once for both, as TF's
// SparseSoftmaxCrossEntropyWithLogits returns the loss and the backprop together. The slice takes
// the forward node's place in program order, so every reader of the loss keeps its operand.
graph share_xent_softmax(const graph& g) {
  std::vector<int> grad_of(g.nodes.size(), -1);  // forward node -> the gradient node that shares it
  std::vector<bool> is_shared_grad(g.nodes.size(), false);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const auto& gn = g.nodes[i];
    if (gn.kind != op_kind::sparse_xent_grad) continue;
    for (std::size_t f = 0; f < i; ++f) {
      const auto& fn = g.nodes[f];
      if (fn.kind != op_kind::sparse_xent || grad_of[f] >= 0 || fn.inputs[0] != gn.inputs[0] ||
          fn.inputs[1] != gn.inputs[1] || !known_f32(fn.out) || !known_f32(at(g, fn.inputs[0]).out) ||
          at(g, fn.inputs[0]).out.shape.size() != 2) {
        continue;
      }
      grad_of[f] = static_cast<int>(i);
      is_shared_grad[i] = true;
      break;
    }
  }
  if (std::none_of(grad_of.begin(), grad_of.end(), [](int x) { return x >= 0; })) return g;
  graph out;
  std::vector<int> remap(g.nodes.size(), -1), backprop_of(g.nodes.size(), -1);
  auto push = [&](node n) {
    out.nodes.push_back(std::move(n));
    return static_cast<int>(out.nodes.size()) - 1;
  };
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    node n = g.nodes[i];
    for (int& in : n.inputs) in = remap[static_cast<std::size_t>(in)];
    if (grad_of[i] >= 0) {
      const auto& logits = at(g, g.nodes[i].inputs[0]).out.shape;
      std::int64_t rows = logits[0], cols = logits[1];
      node b;
      b.kind = op_kind::sparse_xent_backprop;
      b.inputs = n.inputs;
      b.out = {dtype::float32, {rows + rows * cols}};
      b.loc = n.loc;
      int bi = push(std::move(b));
      backprop_of[static_cast<std::size_t>(grad_of[i])] = bi;
      node loss;
      loss.kind = op_kind::slice;
      loss.attrs.ints = {0};
      loss.attrs.ints2 = {rows};
      loss.inputs = {bi};
      loss.out = n.out;
      loss.loc = n.loc;
      remap[i] = push(std::move(loss));
    } else if (is_shared_grad[i]) {
      node grad;
      grad.kind = op_kind::xent_backprop_grad;
      grad.inputs = {backprop_of[i], n.inputs[2]};
      grad.out = n.out;
      grad.loc = n.loc;
      remap[i] = push(std::move(grad));
    } else {
      remap[i] = push(std::move(n));
    }
  }
  for (int in : g.inputs) out.inputs.push_back(remap[static_cast<std::size_t>(in)]);
  for (int o : g.outputs) out.outputs.push_back(remap[static_cast<std::size_t>(o)]);
  return out;
}

}  // namespace

bool fusion_enabled() {
  const char* v = std::getenv("TL_FUSION");
  return !(v && *v == '0');
}

graph optimize(graph g) {
  fold_constants(g);
  g = eliminate_dead(g);
  if (fusion_enabled()) {
    mask_by_relu_output(g);
    fuse_matmul_epilogues(g);
    fuse_matmul_updates(g);
    fuse_momentum_updates(g);
    fuse_xent_gradients(g);
    g = share_xent_softmax(eliminate_dead(g));
  }
  return fuse_elementwise(g, fusion_enabled());
}

}  // namespace tl::detail
