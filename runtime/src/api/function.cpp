// The cache, tracing and replay behind tl::function.
#include <atomic>
#include <map>
#include <mutex>
#include <sstream>

#include "core/tensor_impl.h"
#include "executor/plan.h"
#include "tl/error.h"
#include "tl/function.h"
#include "tracer/trace.h"

namespace tl {

namespace {
std::atomic<bool> g_run_eagerly{false};
}

void run_functions_eagerly(bool enabled) { g_run_eagerly = enabled; }
bool functions_run_eagerly() { return g_run_eagerly; }

namespace detail {

struct concrete_function {
  call_key key;  // tensor shapes may hold -1 (input_signature, reduce_retracing)
  graph g;
  std::vector<std::shared_ptr<variable_state>> owned_variables;
  std::mutex plans_mu;
  std::map<std::vector<shape_t>, std::unique_ptr<plan>> plans;
};

struct function_core::impl {
  std::source_location created_at;
  mutable std::mutex cache_mu;
  std::mutex trace_mu;  // one trace at a time per function
  std::vector<std::unique_ptr<concrete_function>> cache;
  std::atomic<int> traces{0};
};

namespace {

bool part_matches(const key_part& cached, const key_part& call) {
  if (cached.kind != call.kind) return false;
  if (cached.kind != key_kind::tensor) return cached == call;
  if (cached.dtype != call.dtype || cached.shape.size() != call.shape.size()) return false;
  for (std::size_t i = 0; i < cached.shape.size(); ++i)
    if (cached.shape[i] != -1 && cached.shape[i] != call.shape[i]) return false;
  return true;
}

bool key_matches(const call_key& cached, const call_key& call) {
  if (cached.size() != call.size()) return false;
  for (std::size_t i = 0; i < cached.size(); ++i)
    if (!part_matches(cached[i], call[i])) return false;
  return true;
}

// reduce_retracing: when only tensor dimensions differ from a cached key, the new key keeps the
// dimensions that agree and makes the others unknown.
bool generalize(const call_key& cached, call_key& call) {
  if (cached.size() != call.size()) return false;
  for (std::size_t i = 0; i < cached.size(); ++i) {
    const auto& c = cached[i];
    const auto& k = call[i];
    if (c.kind != k.kind) return false;
    if (c.kind != key_kind::tensor) {
      if (!(c == k)) return false;
      continue;
    }
    if (c.dtype != k.dtype || c.shape.size() != k.shape.size()) return false;
  }
  for (std::size_t i = 0; i < cached.size(); ++i) {
    if (call[i].kind != key_kind::tensor) continue;
    for (std::size_t d = 0; d < call[i].shape.size(); ++d)
      if (cached[i].shape[d] != call[i].shape[d]) call[i].shape[d] = -1;
  }
  return true;
}

std::string key_string(const call_key& key) {
  std::ostringstream os;
  os << '(';
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (i) os << ", ";
    const auto& p = key[i];
    switch (p.kind) {
      case key_kind::tensor: os << dtype_name(p.dtype) << shape_string(p.shape); break;
      case key_kind::integer: os << p.int_value; break;
      case key_kind::floating: os << p.float_value; break;
      case key_kind::boolean: os << (p.int_value ? "true" : "false"); break;
      case key_kind::object: os << "object@" << p.object; break;
    }
  }
  os << ')';
  return os.str();
}

}  // namespace

function_core::function_core(function_options options, std::source_location created_at)
    : impl_(std::make_unique<impl>()), options_(std::move(options)) {
  impl_->created_at = created_at;
}

function_core::~function_core() = default;

std::string function_core::display_name() const {
  if (!options_.name.empty()) return options_.name;
  return std::string("function@") + format_location(impl_->created_at);
}

int function_core::tracing_count() const { return impl_->traces; }

std::vector<std::string> function_core::cached_signatures() const {
  std::lock_guard<std::mutex> lock(impl_->cache_mu);
  std::vector<std::string> out;
  for (const auto& c : impl_->cache) out.push_back(key_string(c->key));
  return out;
}

std::vector<tensor> function_core::call(call_key key, const std::vector<tensor>& tensor_args, const trace_body& body) {
  for (const auto& t : tensor_args) check_live(t, display_name().c_str(), impl_->created_at);
  if (options_.input_signature) {
    const auto& sig = *options_.input_signature;
    if (sig.size() != tensor_args.size()) {
      throw tl::error("tl::function '" + display_name() + "': input_signature has " + std::to_string(sig.size()) +
                      " specs but the call passes " + std::to_string(tensor_args.size()) + " tensors");
    }
    std::size_t t = 0;
    for (auto& part : key) {
      if (part.kind != key_kind::tensor) continue;
      const auto& spec = sig[t];
      if (!spec.matches(tensor_args[t])) {
        throw tl::error("tl::function '" + display_name() + "': tensor argument " + std::to_string(t) + " is " +
                        dtype_name(tensor_args[t].dtype()) + shape_string(tensor_args[t].shape()) +
                        ", which does not match the input_signature's " + dtype_name(spec.dtype) +
                        shape_string(spec.shape));
      }
      part.shape = spec.shape;
      ++t;
    }
  }
  auto find = [&]() -> concrete_function* {
    std::lock_guard<std::mutex> lock(impl_->cache_mu);
    for (auto& c : impl_->cache)
      if (key_matches(c->key, key)) return c.get();
    return nullptr;
  };
  concrete_function* cf = find();
  if (!cf) {
    std::lock_guard<std::mutex> trace_lock(impl_->trace_mu);
    cf = find();
    if (!cf) {
      if (options_.reduce_retracing) {
        std::lock_guard<std::mutex> lock(impl_->cache_mu);
        for (auto& c : impl_->cache)
          if (generalize(c->key, key)) break;
      }
      auto fresh = std::make_unique<concrete_function>();
      fresh->key = key;
      trace_state ts;
      ts.serial = next_trace_serial();
      ts.function_name = display_name();
      ts.function_created_at = impl_->created_at;
      ts.first_trace = impl_->traces == 0;
      std::vector<tensor> symbolic;
      for (const auto& part : key) {
        if (part.kind != key_kind::tensor) continue;
        node n;
        n.kind = op_kind::placeholder;
        n.out = {part.dtype, part.shape};
        n.loc = impl_->created_at;
        ts.g.nodes.push_back(n);
        int id = static_cast<int>(ts.g.nodes.size()) - 1;
        ts.g.inputs.push_back(id);
        auto t = std::make_shared<tensor_impl>();
        t->type = n.out;
        t->trace = &ts;
        t->trace_serial = ts.serial;
        t->node = id;
        t->loc = impl_->created_at;
        symbolic.emplace_back(std::move(t));
      }
      std::vector<tensor> outputs;
      {
        trace_scope scope(ts);
        outputs = body(symbolic);
        for (const auto& o : outputs) {
          check_live(o, display_name().c_str(), impl_->created_at);
          ts.g.outputs.push_back(node_of(ts, o, impl_->created_at));
        }
      }
      fresh->owned_variables = std::move(ts.created_variables);
      fresh->g = optimize(std::move(ts.g));
      ++impl_->traces;
      std::lock_guard<std::mutex> lock(impl_->cache_mu);
      impl_->cache.push_back(std::move(fresh));
      cf = impl_->cache.back().get();
    }
  }
  std::vector<shape_t> shapes;
  shapes.reserve(tensor_args.size());
  for (const auto& t : tensor_args) shapes.push_back(t.shape());
  plan* p = nullptr;
  {
    std::lock_guard<std::mutex> lock(cf->plans_mu);
    auto& slot = cf->plans[shapes];
    if (!slot) slot = std::make_unique<plan>(cf->g, shapes);
    p = slot.get();
  }
  return p->run(tensor_args);
}

}  // namespace detail
}  // namespace tl
