#include "tracer/trace.h"

#include <atomic>

#include "core/code_location.h"
#include "core/observations.h"
#include "executor/eager.h"
#include "tl/error.h"

namespace tl::detail {

namespace {
thread_local std::vector<trace_state*> t_traces;
std::atomic<std::uint64_t> g_trace_serial{0};
}  // namespace

trace_state* current_trace() { return t_traces.empty() ? nullptr : t_traces.back(); }
trace_scope::trace_scope(trace_state& t) { t_traces.push_back(&t); }
trace_scope::~trace_scope() { t_traces.pop_back(); }
std::uint64_t next_trace_serial() { return ++g_trace_serial; }

bool tracing_active() { return !t_traces.empty(); }

void check_live(const tensor& t, const char* what, const std::source_location& loc) {
  if (!t.defined()) {
    throw tl::error(std::string("tl::") + what + ": an operand is an empty tl::tensor (called at " +
                    format_call_location(loc) + ")");
  }
  auto* impl = t.impl();
  if (!impl->symbolic()) return;
  auto* tr = current_trace();
  bool live = false;
  for (auto* s : t_traces) live |= (s == impl->trace && s->serial == impl->trace_serial);
  if (!live) {
    observation o;
    o.rule = "trace-tensor-leak";
    o.function = tr ? tr->function_name : "";
    o.function_location = tr ? format_location(tr->function_created_at) : "";
    o.location = format_call_location(loc);
    o.entity = "tensor created at " + format_location(impl->loc);
    o.message = std::string("tl::") + what + ": a symbolic tensor created at " + format_location(impl->loc) +
                " inside a trace is used " + (tr ? "in a different trace" : "after its trace ended") +
                "; it escaped through state that outlives the trace (called at " + o.location + ")";
    observe(o, false);
    throw hazard_error(std::move(o));
  }
}

int node_of(trace_state& tr, const tensor& t, const std::source_location& loc) {
  auto* impl = t.impl();
  if (impl->symbolic()) {
    if (impl->trace == &tr) return impl->node;
    // A value of an enclosing trace used in a nested (inlined) one: same graph only when the same
    // trace object; otherwise it is a leak across traces.
    throw tl::error("tl: [trace-tensor-leak] a symbolic tensor of trace '" + impl->trace->function_name +
                    "' is used in trace '" + tr.function_name + "' (called at " + format_call_location(loc) + ")");
  }
  auto it = tr.captured.find(impl);
  if (it != tr.captured.end()) return it->second;
  node c;
  c.kind = op_kind::constant;
  c.attrs.data = impl->data;
  c.out = impl->type;
  c.loc = loc;
  tr.g.nodes.push_back(std::move(c));
  int id = static_cast<int>(tr.g.nodes.size()) - 1;
  if (const void* site = current_operator_site()) tr.op_sites.emplace(id, site);
  tr.captured.emplace(impl, id);
  tr.captured_alive.push_back(t.impl_ptr());
  return id;
}

std::string node_location(const trace_state& tr, int id) {
  const auto& n = tr.g.nodes[static_cast<std::size_t>(id)];
  if (n.loc.line() != 0) return format_location(n.loc);
  auto it = tr.op_sites.find(id);
  return it == tr.op_sites.end() ? std::string() : code_location(it->second);
}

tensor make_op(op_kind k, op_attrs attrs, const std::vector<tensor>& inputs, const std::source_location& loc) {
  std::vector<const value_type*> types;
  types.reserve(inputs.size());
  for (const auto& t : inputs) {
    check_live(t, op_name(k), loc);
    types.push_back(&t.impl()->type);
  }
  node n;
  n.kind = k;
  n.out = infer(k, attrs, types, loc);
  n.attrs = std::move(attrs);
  n.loc = loc;
  tensor result;
  if (auto* tr = current_trace()) {
    n.inputs.reserve(inputs.size());
    for (const auto& t : inputs) n.inputs.push_back(node_of(*tr, t, loc));
    auto impl = std::make_shared<tensor_impl>();
    impl->type = n.out;
    impl->trace = tr;
    impl->trace_serial = tr->serial;
    impl->loc = loc;
    tr->g.nodes.push_back(std::move(n));
    impl->node = static_cast<int>(tr->g.nodes.size()) - 1;
    if (const void* site = current_operator_site()) tr->op_sites.emplace(impl->node, site);
    tr->symbolic_made.push_back(impl);
    result = tensor(std::move(impl));
    if (auto on_op = recorders().on_op) on_op(tr->g.nodes.back(), inputs, result);
  } else {
    n.inputs.assign(inputs.size(), -1);  // kernels of variadic ops (concat) count their operands here
    std::vector<const tensor_impl*> in;
    in.reserve(inputs.size());
    for (const auto& t : inputs) in.push_back(t.impl());
    auto impl = run_eager(n, in);
    impl->loc = loc;
    result = tensor(std::move(impl));
    if (auto on_op = recorders().on_op) on_op(n, inputs, result);
  }
  return result;
}

namespace {
constinit eager_recorders g_recorders;  // constant-initialized: set by another module's static initializer
}  // namespace

void set_eager_recorders(eager_recorders r) { g_recorders = r; }
const eager_recorders& recorders() { return g_recorders; }

}  // namespace tl::detail
