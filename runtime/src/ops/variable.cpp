#include "tl/variable.h"

#include <dlfcn.h>
#include <execinfo.h>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "core/observations.h"
#include "executor/eager.h"
#include "tl/error.h"
#include "tracer/trace.h"

namespace tl {

namespace {
std::atomic<std::uint64_t> g_variable_ids{0};

detail::variable_state& need(const std::shared_ptr<detail::variable_state>& s, const char* what,
                             const std::source_location& loc) {
  if (!s) {
    throw tl::error(std::string("tl::variable::") + what + ": empty variable handle (called at " +
                    format_location(loc) + ")");
  }
  return *s;
}

// A symbolic initial value is computed now when it depends on no traced input (TF lifts such
// initializers out of the function). One that depends on an input or a variable read returns null:
// the graph initializes the variable when it first runs.
std::shared_ptr<detail::storage> initial_storage(const tensor& init) {
  if (!init.is_symbolic()) {
    auto bytes = detail::byte_size(init.impl()->type);
    auto st = detail::allocate_storage(bytes);
    std::memcpy(st->data, init.impl()->data->data, bytes);
    return st;
  }
  auto* tr = init.impl()->trace;
  const auto& nodes = tr->g.nodes;
  std::vector<std::shared_ptr<detail::tensor_impl>> values(static_cast<std::size_t>(init.impl()->node) + 1);
  std::vector<int> order{init.impl()->node};
  std::vector<bool> needed(values.size(), false);
  needed[static_cast<std::size_t>(init.impl()->node)] = true;
  for (int i = init.impl()->node; i >= 0; --i) {
    if (!needed[static_cast<std::size_t>(i)]) continue;
    const auto& n = nodes[static_cast<std::size_t>(i)];
    // A stateful random op is computed once here, as TF runs a lifted initializer once.
    if (!detail::is_pure(n.kind) && !detail::is_stateful(n.kind)) return nullptr;
    for (int in : n.inputs) needed[static_cast<std::size_t>(in)] = true;
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!needed[i]) continue;
    const auto& n = nodes[i];
    std::vector<const detail::tensor_impl*> ins;
    for (int in : n.inputs) ins.push_back(values[static_cast<std::size_t>(in)].get());
    values[i] = detail::run_eager(n, ins);
  }
  auto& v = values.back();
  auto bytes = detail::byte_size(v->type);
  auto st = detail::allocate_storage(bytes);
  std::memcpy(st->data, v->data->data, bytes);
  return st;
}
}  // namespace

variable::variable(const tensor& initial_value, std::string name, bool trainable, std::source_location loc) {
  detail::check_live(initial_value, "variable", loc);
  auto state = std::make_shared<detail::variable_state>();
  state->type = initial_value.impl()->type;
  if (num_elements(state->type.shape) < 0) {
    throw tl::error("tl::variable: initial value has unknown dimensions " + shape_string(state->type.shape) +
                    " (called at " + format_location(loc) + ")");
  }
  state->id = ++g_variable_ids;
  state->name = name.empty() ? "variable_" + std::to_string(state->id) : std::move(name);
  state->trainable = trainable && state->type.type == dtype::float32;
  state->created_at = loc;
  if (auto* tr = detail::current_trace()) {
    if (!tr->first_trace) {
      observation o;
      o.rule = "trace-variable-creation";
      o.function = tr->function_name;
      o.function_location = format_location(tr->function_created_at);
      o.location = format_location(loc);
      o.entity = format_location(loc);  // where it is created: what the analyzer reports too
      o.message = "variable '" + state->name + "' created at " + format_location(loc) + " while retracing '" +
                  tr->function_name +
                  "'; a traced function may create variables only on its first trace. Create it once outside "
                  "the function, or guard it with a create-once check";
      detail::observe(o, false);
      if (!tr->verification) throw hazard_error(std::move(o));
    }
  }
  state->data = initial_storage(initial_value);
  bool in_graph_initializer = state->data == nullptr;
  if (in_graph_initializer) {
    // Zeros until the graph's first run assigns the value; reading it eagerly before then is an error.
    state->data = detail::allocate_storage(detail::byte_size(state->type));
    std::memset(state->data->data, 0, detail::byte_size(state->type));
    state->initialized.store(false);
  }
  if (auto* tr = detail::current_trace()) {
    void* frames[32];  // deep enough to leave a layer's constructors and reach the traced function
    int depth = std::max(backtrace(frames, 32), 0);
    // From the runtime's own frame on: a sanitizer's interceptor of backtrace() may come first.
    Dl_info self{}, frame{};
    dladdr(reinterpret_cast<const void*>(&initial_storage), &self);
    int first = 0;
    while (first < depth && !(dladdr(frames[first], &frame) && frame.dli_fbase == self.dli_fbase)) ++first;
    if (first == depth) first = 0;
    state->created_stack.assign(frames + first, frames + depth);
    tr->created_variables.push_back(state);
  }
  state_ = std::move(state);
  if (in_graph_initializer) {
    detail::op_attrs a;
    a.var = state_;
    a.mode = detail::assign_mode::initialize;
    detail::make_op(detail::op_kind::assign_variable, std::move(a), {initial_value}, loc);
  }
}

tensor variable::value(std::source_location loc) const {
  auto& s = need(state_, "value", loc);
  tensor out;
  if (auto* tr = detail::current_trace()) {
    detail::node n;
    n.kind = detail::op_kind::read_variable;
    n.attrs.var = state_;
    n.out = s.type;
    n.loc = loc;
    tr->g.nodes.push_back(std::move(n));
    auto impl = std::make_shared<detail::tensor_impl>();
    impl->type = s.type;
    impl->trace = tr;
    impl->trace_serial = tr->serial;
    impl->node = static_cast<int>(tr->g.nodes.size()) - 1;
    impl->loc = loc;
    tr->symbolic_made.push_back(impl);
    out = tensor(std::move(impl));
  } else {
    if (!s.initialized.load()) {
      throw tl::error("tl::variable::value: variable '" + s.name +
                      "' is initialized from a traced value when the graph that created it first runs, which has not "
                      "happened yet (called at " +
                      format_location(loc) + ")");
    }
    std::lock_guard<std::mutex> lock(s.mu);
    auto impl = detail::make_concrete(s.type, s.data);
    impl->loc = loc;
    out = tensor(std::move(impl));
  }
  if (auto on_read = detail::recorders().on_variable_read) on_read(&s, out);
  return out;
}

namespace {
void assign_op(const std::shared_ptr<detail::variable_state>& state, const tensor& v, detail::assign_mode mode,
               const char* what, const std::source_location& loc) {
  auto& s = need(state, what, loc);
  detail::check_live(v, what, loc);
  const auto& t = v.impl()->type;
  bool shape_ok = t.shape.size() == s.type.shape.size();
  for (std::size_t i = 0; shape_ok && i < t.shape.size(); ++i)
    shape_ok = t.shape[i] == s.type.shape[i] || t.shape[i] == -1;
  if (t.type != s.type.type || !shape_ok) {
    throw tl::error(std::string("tl::variable::") + what + ": variable '" + s.name + "' is " + dtype_name(s.type.type) +
                    shape_string(s.type.shape) + ", the value is " + dtype_name(t.type) + shape_string(t.shape) +
                    " (called at " + format_location(loc) + ")");
  }
  if (!detail::current_trace() && s.read_by_graph.load(std::memory_order_relaxed)) {
    ++s.eager_updates;
    std::lock_guard<std::mutex> lock(s.mu);
    s.last_eager_update = loc;
  }
  detail::op_attrs a;
  a.var = state;
  a.mode = mode;
  detail::make_op(detail::op_kind::assign_variable, std::move(a), {v}, loc);
}
}  // namespace

void variable::assign(const tensor& v, std::source_location loc) const {
  assign_op(state_, v, detail::assign_mode::set, "assign", loc);
}
void variable::assign_add(const tensor& v, std::source_location loc) const {
  assign_op(state_, v, detail::assign_mode::add, "assign_add", loc);
}
void variable::assign_sub(const tensor& v, std::source_location loc) const {
  assign_op(state_, v, detail::assign_mode::sub, "assign_sub", loc);
}

dtype variable::dtype() const { return need(state_, "dtype", std::source_location::current()).type.type; }
const shape_t& variable::shape() const { return need(state_, "shape", std::source_location::current()).type.shape; }
const std::string& variable::name() const { return need(state_, "name", std::source_location::current()).name; }
bool variable::trainable() const { return need(state_, "trainable", std::source_location::current()).trainable; }
std::uint64_t variable::id() const { return need(state_, "id", std::source_location::current()).id; }

}  // namespace tl
