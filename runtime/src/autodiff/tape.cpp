#include "autodiff/tape.h"

#include <algorithm>
#include <unordered_map>

#include "tl/error.h"
#include "tl/gradient_tape.h"
#include "tl/ops.h"
#include "tracer/trace.h"

namespace tl::detail {

namespace {
thread_local std::vector<tape_state*> t_tapes;
thread_local bool t_paused = false;  // no recording while a backward pass builds its ops

bool tracks_any(const tape_state& tape, const std::vector<tensor>& inputs) {
  for (const auto& t : inputs)
    if (t.defined() && tape.tracked.count(t.impl())) return true;
  return false;
}

bool at_this_level(const tape_state& tape) {
  const trace_state* now = current_trace();
  return tape.owner == now && (!now || tape.owner_serial == now->serial);
}
}  // namespace

void record_on_tapes(const node& n, const std::vector<tensor>& inputs, const tensor& output) {
  if (t_tapes.empty() || t_paused) return;
  for (auto* tape : t_tapes) {
    if (!at_this_level(*tape) || !tracks_any(*tape, inputs)) continue;
    tape->entries.push_back({n.kind, n.attrs, inputs, output});
    tape->tracked.insert(output.impl());
  }
}

void record_variable_read(const variable_state* var, const tensor& value) {
  if (t_tapes.empty() || t_paused || !var->trainable) return;
  for (auto* tape : t_tapes) {
    if (!at_this_level(*tape)) continue;
    tape->variable_reads.emplace_back(var, value);
    tape->tracked.insert(value.impl());
  }
}

namespace {
// The tracer reports eager ops and variable reads through these hooks (tracer/trace.h).
[[maybe_unused]] const bool g_recorders_installed =
    (set_eager_recorders({record_on_tapes, record_variable_read}), true);
}  // namespace

bool reads_trainable_variable(const graph& g) {
  for (const auto& n : g.nodes)
    if (n.kind == op_kind::read_variable && n.attrs.var->trainable) return true;
  return false;
}

bool tapes_need_call(bool reads_trainable, const std::vector<tensor>& inputs) {
  if (t_tapes.empty() || t_paused) return false;
  for (auto* tape : t_tapes)
    if (at_this_level(*tape) && (reads_trainable || tracks_any(*tape, inputs))) return true;
  return false;
}

std::vector<tensor> run_call_on_tapes(const graph& g, const std::vector<tensor>& inputs) {
  std::vector<tensor> values(g.nodes.size());
  for (std::size_t k = 0; k < g.inputs.size(); ++k) values[static_cast<std::size_t>(g.inputs[k])] = inputs.at(k);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const auto& n = g.nodes[i];
    switch (n.kind) {
      case op_kind::placeholder:
        break;
      case op_kind::constant:
        values[i] = tensor(make_concrete(n.out, n.attrs.data));
        break;
      case op_kind::read_variable: {
        std::shared_ptr<tensor_impl> impl;
        {
          std::lock_guard<std::mutex> lock(n.attrs.var->mu);
          impl = make_concrete(n.attrs.var->type, n.attrs.var->data);
        }
        impl->loc = n.loc;
        values[i] = tensor(std::move(impl));
        record_variable_read(n.attrs.var.get(), values[i]);
        break;
      }
      default: {
        std::vector<tensor> operands;
        operands.reserve(n.inputs.size());
        for (int in : n.inputs) operands.push_back(values[static_cast<std::size_t>(in)]);
        values[i] = make_op(n.kind, n.attrs, operands, n.loc);
      }
    }
  }
  std::vector<tensor> out;
  out.reserve(g.outputs.size());
  for (int o : g.outputs) out.push_back(values[static_cast<std::size_t>(o)]);
  return out;
}

namespace {

std::unordered_map<const tensor_impl*, tensor> backprop(tape_state& tape, const tensor& target) {
  std::unordered_map<const tensor_impl*, tensor> grads;
  grads[target.impl()] = ones_like_internal(target);
  for (auto it = tape.entries.rbegin(); it != tape.entries.rend(); ++it) {
    auto g = grads.find(it->output.impl());
    if (g == grads.end()) continue;
    tensor gout = g->second;
    auto gins = vjp(*it, gout);
    for (std::size_t i = 0; i < gins.size() && i < it->inputs.size(); ++i) {
      if (!gins[i].defined() || !tape.tracked.count(it->inputs[i].impl())) continue;
      auto* key = it->inputs[i].impl();
      auto found = grads.find(key);
      if (found == grads.end())
        grads.emplace(key, gins[i]);
      else
        found->second = found->second + gins[i];
    }
  }
  return grads;
}

struct pause_recording {
  bool old = t_paused;
  pause_recording() { t_paused = true; }
  ~pause_recording() { t_paused = old; }
};

tensor zeros_for(const tensor& like) {
  return make_op(op_kind::zeros_like, {}, {like}, std::source_location::current());
}

}  // namespace

tensor ones_like_internal(const tensor& t) {
  return make_op(op_kind::ones_like, {}, {t}, std::source_location::current());
}

}  // namespace tl::detail

namespace tl {

gradient_tape::gradient_tape() : state_(std::make_unique<detail::tape_state>()) {
  if (auto* tr = detail::current_trace()) {
    state_->owner = tr;
    state_->owner_serial = tr->serial;
  }
  detail::t_tapes.push_back(state_.get());
}

gradient_tape::~gradient_tape() {
  auto& v = detail::t_tapes;
  v.erase(std::remove(v.begin(), v.end(), state_.get()), v.end());
}

void gradient_tape::watch(const tensor& t) {
  if (!t.defined()) throw tl::error("tl::gradient_tape::watch: empty tensor");
  state_->tracked.insert(t.impl());
}

namespace {
// What both overloads of gradient() start with: the target checked, then backpropagated. The
// callers pause recording for the whole call: the gradient's own ops are not recorded on the tapes.
std::unordered_map<const detail::tensor_impl*, tensor> backprop_target(detail::tape_state& state,
                                                                       const tensor& target) {
  detail::check_live(target, "gradient", std::source_location::current());
  if (target.dtype() != dtype::float32) {
    throw tl::error(std::string("tl::gradient_tape::gradient: target must be float32, got ") +
                    dtype_name(target.dtype()));
  }
  return detail::backprop(state, target);
}
}  // namespace

std::vector<tensor> gradient_tape::gradient(const tensor& target, const std::vector<tensor>& sources) {
  detail::pause_recording pause;
  auto grads = backprop_target(*state_, target);
  std::vector<tensor> out;
  for (const auto& s : sources) {
    auto it = grads.find(s.impl());
    out.push_back(it != grads.end() ? it->second : detail::zeros_for(s));
  }
  return out;
}

std::vector<tensor> gradient_tape::gradient(const tensor& target, const std::vector<variable>& sources) {
  detail::pause_recording pause;
  auto grads = backprop_target(*state_, target);
  std::vector<tensor> out;
  for (const auto& v : sources) {
    if (!v.defined()) throw tl::error("tl::gradient_tape::gradient: an empty tl::variable handle among the sources");
    tensor total;
    for (const auto& [var, read] : state_->variable_reads) {
      if (var != v.state()) continue;
      auto it = grads.find(read.impl());
      if (it == grads.end()) continue;
      total = total.defined() ? total + it->second : it->second;
    }
    out.push_back(total.defined() ? total : zeros(v.shape(), v.dtype()));
  }
  return out;
}

}  // namespace tl
