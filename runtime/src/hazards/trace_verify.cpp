#include "hazards/trace_verify.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <sstream>

#include "core/format.h"
#include "core/tensor_impl.h"

namespace tl::detail {

namespace {

bool same_attrs(const op_attrs& a, const op_attrs& b) {
  // rng: every trace starts fresh streams for its random ops; program: fused nodes come later.
  return a.ints == b.ints && a.ints2 == b.ints2 && a.axis == b.axis && a.keepdims == b.keepdims &&
         a.transpose_a == b.transpose_a && a.transpose_b == b.transpose_b &&
         std::memcmp(&a.scalar, &b.scalar, sizeof a.scalar) == 0 &&
         std::memcmp(&a.scalar2, &b.scalar2, sizeof a.scalar2) == 0 && a.seed == b.seed && a.to == b.to &&
         a.mode == b.mode && a.label == b.label && a.var == b.var;
}

bool same_payload(const node& a, const node& b) {
  if (a.attrs.data == b.attrs.data) return true;
  if (!a.attrs.data || !b.attrs.data || !(a.out == b.out)) return false;
  return std::memcmp(a.attrs.data->data, b.attrs.data->data, byte_size(a.out)) == 0;
}

std::string value_of(const node& n) {
  std::ostringstream os;
  if (n.kind == op_kind::constant) {
    format_values(os, n.attrs.data->data, n.out);
  } else if (n.kind == op_kind::fill) {
    os << n.attrs.scalar;
  } else {
    os << op_name(n.kind) << shape_string(n.attrs.ints);
    if (n.attrs.scalar != 0 || n.attrs.scalar2 != 0) os << " (" << n.attrs.scalar << ", " << n.attrs.scalar2 << ")";
  }
  return os.str();
}

}  // namespace

std::vector<observation> compare_traces(const graph& cached, const trace_state& fresh, const std::string& function,
                                        const std::string& function_location) {
  std::vector<observation> out;
  const auto& g = fresh.g;
  auto base = [&](int id) {
    observation o;
    o.rule = "trace-stale-capture";
    o.function = function;
    o.function_location = function_location;
    o.location = node_location(fresh, id);
    return o;
  };
  // Only live nodes count: an initializer recorded by a create-once guard on the first trace is dead
  // code that later traces rightly skip.
  auto live_ids = [](const graph& gr) {
    std::vector<int> ids;
    auto live = live_nodes(gr);
    for (std::size_t i = 0; i < gr.nodes.size(); ++i)
      if (live[i]) ids.push_back(static_cast<int>(i));
    return ids;
  };
  auto la = live_ids(cached), lb = live_ids(g);
  // Inputs as positions among the live nodes, so the two graphs' numbering does not matter.
  auto positions = [](const graph& gr, const std::vector<int>& ids, int id) {
    std::vector<int> out;
    for (int in : gr.nodes[static_cast<std::size_t>(id)].inputs)
      out.push_back(static_cast<int>(std::lower_bound(ids.begin(), ids.end(), in) - ids.begin()));
    return out;
  };
  // The first live node where the two traces take different paths: everything after it may differ.
  std::size_t common = std::min(la.size(), lb.size());
  for (std::size_t i = 0; i < common; ++i) {
    const auto& a = cached.nodes[static_cast<std::size_t>(la[i])];
    const auto& b = g.nodes[static_cast<std::size_t>(lb[i])];
    if (a.kind != b.kind || a.out.type != b.out.type || positions(cached, la, la[i]) != positions(g, lb, lb[i])) {
      common = i;
      break;
    }
  }
  auto output_positions = [](const graph& gr, const std::vector<int>& ids) {
    std::vector<int> out;
    for (int o : gr.outputs) out.push_back(static_cast<int>(std::lower_bound(ids.begin(), ids.end(), o) - ids.begin()));
    return out;
  };
  if (common < la.size() || common < lb.size() || output_positions(cached, la) != output_positions(g, lb)) {
    int at = lb.empty() ? 0 : lb[std::min(common, lb.size() - 1)];
    auto o = base(at);
    o.entity = "graph structure";
    o.details["verify"] = "structure";
    o.details["traced_nodes"] = std::to_string(la.size());
    o.details["current_nodes"] = std::to_string(lb.size());
    o.message = "tracing '" + function + "' again gives a different graph (" + std::to_string(la.size()) +
                " live nodes when cached, " + std::to_string(lb.size()) + " now" +
                (o.location.empty() ? "" : ", first difference at " + o.location) +
                "): the trace depends on host state that changed since, and the cached graph still follows the old "
                "path. Pass that state as an argument (a retrace per value) or as a tensor";
    out.push_back(std::move(o));
  }
  std::map<std::string, int> per_location;  // several constants of one statement get ordinals
  for (std::size_t i = 0; i < common; ++i) {
    const auto& a = cached.nodes[static_cast<std::size_t>(la[i])];
    const auto& b = g.nodes[static_cast<std::size_t>(lb[i])];
    bool payload_differs = a.kind == op_kind::constant && !same_payload(a, b);
    if (!payload_differs && same_attrs(a.attrs, b.attrs)) continue;
    auto o = base(lb[i]);
    int ordinal = ++per_location[o.location];
    o.entity = (o.location.empty() ? "constant" : "constant at " + o.location) +
               (ordinal > 1 ? " #" + std::to_string(ordinal) : "");
    o.details["verify"] = "constant";
    o.details["traced_value"] = value_of(a);
    o.details["current_value"] = value_of(b);
    o.message = "a host value baked into '" + function + "' as " + o.details["traced_value"] +
                (o.location.empty() ? "" : " (at " + o.location + ")") + " is " + o.details["current_value"] +
                " when traced again; the cached graph still uses " + o.details["traced_value"] +
                ". Pass it as a tensor argument or keep it in a tl::variable";
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace tl::detail
