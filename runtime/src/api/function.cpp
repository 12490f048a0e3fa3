// The cache, tracing and replay behind tl::function.
#include "tl/function.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

#include "autodiff/tape.h"
#include "core/code_location.h"
#include "core/observations.h"
#include "core/settings.h"
#include "core/tensor_impl.h"
#include "executor/plan.h"
#include "hazards/baked_values.h"
#include "hazards/static_snapshot.h"
#include "hazards/trace_stack.h"
#include "hazards/trace_verify.h"
#include "hazards/write_locator.h"
#include "tl/error.h"
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
  // The graph as traced, before fusion and folding: what a call under a gradient tape runs op by op
  // so the tape records every op (fused nodes have no gradient rule).
  graph traced;
  bool reads_trainable = false;     // does `traced` read a trainable variable (tapes watch those)?
  const void* traced_at = nullptr;  // return address of the call that traced it (its call site)
  std::vector<std::shared_ptr<variable_state>> owned_variables;
  // Hazard bookkeeping, filled while tracing and checked on replay.
  std::vector<int> skipped_writes;  // trace-host-mutation observations whose writes replays skip
  std::vector<std::shared_ptr<variable_state>> read_variables;
  baked_values baked;
  std::mutex plans_mu;
  std::map<std::vector<shape_t>, std::unique_ptr<plan>> plans;
  // The plan of the previous call with its input shapes: a training loop calls with the same shapes
  // every time, and comparing them in place saves building the map key (allocations) per call.
  std::vector<shape_t> last_shapes;
  plan* last_plan = nullptr;
};

struct function_core::impl {
  std::source_location created_at;
  std::string location;      // created_at, formatted once
  std::string display_name;  // options.name, or "function@<location>"
  std::mutex history_mu;
  std::deque<bool> recent_retraces;  // the last 10 calls: did each retrace?
  bool frequent_reported = false;
  std::set<const void*> retraced_sites;  // call sites already reported for a second signature
  bool counted_at_site = false;
  mutable std::mutex cache_mu;
  std::mutex trace_mu;  // one trace at a time per function
  std::vector<std::unique_ptr<concrete_function>> cache;
  std::atomic<int> traces{0};
  std::atomic<long> served_calls{0};  // calls the cache served, for verify mode's every-Nth
  std::atomic<bool> served{false};    // has the cache served any call (was the object reused)?
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
      case key_kind::tensor:
        os << dtype_name(p.dtype) << shape_string(p.shape);
        break;
      case key_kind::integer:
        os << p.int_value;
        break;
      case key_kind::floating:
        os << p.float_value;
        break;
      case key_kind::boolean:
        os << (p.int_value ? "true" : "false");
        break;
      case key_kind::object:
        os << "object@" << p.object;
        break;
    }
  }
  os << ')';
  return os.str();
}

std::string part_string(const key_part& p) {
  call_key k{p};
  auto s = key_string(k);
  return s.substr(1, s.size() - 2);
}

std::string site_key(const std::source_location& loc) {
  return std::string(loc.file_name()) + ":" + std::to_string(loc.line()) + ":" + std::to_string(loc.column());
}

// Per source location of tl::function objects: how many traced, and how many were destroyed without
// ever serving a call from their cache (traced, used once, thrown away: the loop hazard). Objects a
// factory makes in a loop and keeps calling are not counted as thrown away.
struct site_counts {
  int traced = 0;
  int discarded = 0;
};
std::mutex g_sites_mu;
std::map<std::string, site_counts> g_sites;

// The plan of a concrete function for these input shapes, made on first use.
plan& plan_for(concrete_function& cf, const std::vector<tensor>& args) {
  std::lock_guard<std::mutex> lock(cf.plans_mu);
  bool same = cf.last_plan && cf.last_shapes.size() == args.size();
  for (std::size_t i = 0; same && i < args.size(); ++i) same = cf.last_shapes[i] == args[i].shape();
  if (same) return *cf.last_plan;
  std::vector<shape_t> shapes;
  shapes.reserve(args.size());
  for (const auto& t : args) shapes.push_back(t.shape());
  auto& slot = cf.plans[shapes];
  if (!slot) slot = std::make_unique<plan>(cf.g, shapes);
  cf.last_plan = slot.get();
  cf.last_shapes = std::move(shapes);
  return *slot;
}

// Runs the traced callable once into `ts`: a placeholder per tensor of `key`, the body with the
// symbolic tensors, its results as the graph's outputs.
void record_trace(trace_state& ts, const call_key& key, const function_core::trace_body& body) {
  std::vector<tensor> symbolic;
  for (const auto& part : key) {
    if (part.kind != key_kind::tensor) continue;
    node n;
    n.kind = op_kind::placeholder;
    n.out = {part.dtype, part.shape};
    n.loc = ts.function_created_at;
    ts.g.nodes.push_back(n);
    int id = static_cast<int>(ts.g.nodes.size()) - 1;
    ts.g.inputs.push_back(id);
    auto t = std::make_shared<tensor_impl>();
    t->type = n.out;
    t->trace = &ts;
    t->trace_serial = ts.serial;
    t->node = id;
    t->loc = ts.function_created_at;
    ts.symbolic_made.push_back(t);
    symbolic.emplace_back(std::move(t));
  }
  trace_scope scope(ts);
  auto outputs = body(symbolic);
  for (const auto& o : outputs) {
    check_live(o, ts.function_name.c_str(), ts.function_created_at);
    ts.g.outputs.push_back(node_of(ts, o, ts.function_created_at));
  }
}

// Symbolic tensors of a finished trace that something still holds: stored into a global, a captured
// variable or a container while tracing. They never get a value; any later use is an error. The
// statement that stored one is the located write (`writes`) whose object holds its handle, directly
// or in the container or object a word of it points to; else the tensor is placed where it was made.
std::vector<observation> leaked_tensors(const trace_state& ts, const std::vector<static_write>& writes) {
  std::vector<observation> out;
  for (const auto& weak : ts.symbolic_made) {
    auto t = weak.lock();
    if (!t) continue;
    std::string created = node_location(ts, t->node);
    if (created.empty()) created = format_location(t->loc);
    // The entity is the holder when it has a name, so that each place holding the tensor is its own hazard.
    auto leak = [&](const std::string& at, const std::string& into, const std::string& holder) {
      observation o;
      o.rule = "trace-tensor-leak";
      o.function = ts.function_name;
      o.function_location = format_location(ts.function_created_at);
      o.location = at;
      o.entity = !holder.empty() ? holder : "tensor created at " + created + (at != created ? ", stored at " + at : "");
      o.details["created_at"] = created;
      o.message = "a symbolic tensor created at " + created + " while tracing '" + ts.function_name +
                  "' was stored into " + into +
                  ", which outlives the trace; it never holds a value, and any use after the trace is an error. "
                  "Return it from the function, or keep the value in a tl::variable";
      out.push_back(std::move(o));
    };
    bool placed = false;
    for (const auto& w : writes) {  // one handle may be stored in several places: each is a leak
      if (w.writer.empty() || w.size == 0 || !holds_pointer(w.address, w.address + w.size, t.get())) continue;
      leak(code_location_of_stack(w.writer.data(), static_cast<int>(w.writer.size())),
           w.caller_frame ? "a variable of a caller's frame" : "'" + w.symbol + "'", w.caller_frame ? "" : w.symbol);
      placed = true;
    }
    if (!placed) leak(created, "state that outlives the call (a global, a captured variable, a container)", "");
  }
  return out;
}

// Variables this trace made that no host object holds when it ends: only the graph keeps them, so
// the trace of another signature makes new ones with fresh state, and nothing on the host can read
// or reset them. TF refuses such a function on its first call (it traces twice to find out); a
// variable kept by a host object (a layer built behind a create-once guard) is made once.
std::vector<observation> graph_only_variables(const trace_state& ts) {
  std::vector<observation> out;
  for (const auto& v : ts.created_variables) {
    long graph_refs = 0;
    for (const auto& n : ts.g.nodes) graph_refs += n.attrs.var == v;
    if (v.use_count() > 1 + graph_refs) continue;
    observation o;
    o.rule = "trace-variable-creation";
    o.function = ts.function_name;
    o.function_location = format_location(ts.function_created_at);
    // The traced function's statement that made it: `Dense d;` for a variable of Dense's member
    // initializer (GCC names the class's head for the implicit constructor); the innermost user
    // frame is kept as evidence.
    const auto* frames = v->created_stack.data();
    int depth = static_cast<int>(v->created_stack.size());
    o.location = depth ? traced_statement_of_stack(frames, depth) : "";
    if (o.location.empty()) o.location = format_location(v->created_at);
    if (depth) o.details["created_in"] = code_location_of_stack(frames, depth);
    o.entity = o.location;
    o.message = "variable '" + v->name + "' created at " + o.location + " while tracing '" + ts.function_name +
                "' is held only by the graph when the trace ends: a trace of another signature creates a new one "
                "with fresh state (TF refuses this on the first call). Create it once outside the function, or keep "
                "it in an object behind a create-once check";
    out.push_back(std::move(o));
  }
  return out;
}

observation base_observation(const std::string& rule, const std::string& name, const std::source_location& created) {
  observation o;
  o.rule = rule;
  o.function = name;
  o.function_location = format_location(created);
  return o;
}

}  // namespace

function_core::function_core(function_options options, std::source_location created_at)
    : impl_(std::make_unique<impl>()), options_(std::move(options)) {
  impl_->created_at = created_at;
  impl_->location = format_location(created_at);
  impl_->display_name = options_.name.empty() ? "function@" + impl_->location : options_.name;
}

function_core::~function_core() {
  if (!impl_->counted_at_site || impl_->served.load(std::memory_order_relaxed)) return;
  std::lock_guard<std::mutex> lock(g_sites_mu);
  ++g_sites[site_key(impl_->created_at)].discarded;
}

bool function_core::verify_this_call() {
  if (!options_.verify && get_check_mode() != check_mode::verify) return false;
  // TL_VERIFY_EVERY=N: every Nth call the cache serves, to bound the cost in long tests.
  return impl_->served_calls++ % current_settings().verify_every == 0;
}

const std::string& function_core::display_name() const { return impl_->display_name; }

int function_core::tracing_count() const { return impl_->traces; }

std::vector<std::string> function_core::cached_signatures() const {
  std::lock_guard<std::mutex> lock(impl_->cache_mu);
  std::vector<std::string> out;
  for (const auto& c : impl_->cache) out.push_back(key_string(c->key));
  return out;
}

// Explains a retrace as the difference to the closest cached key, and reports frequent retracing
// (TF's threshold: at least 5 of the last 10 calls) with the fix that applies.
void function_core::note_call(bool retraced, const call_key& key, const std::vector<call_key>& cached,
                              const void* call_site, const std::vector<const void*>& cached_sites, bool generalized) {
  if (!checks_enabled()) return;
  std::string diff, kind = "trace-shape-retrace";
  bool only_bools_differ = retraced && !cached.empty();
  const void* previous_site = nullptr;
  if (retraced && !cached.empty()) {
    std::size_t best = 0, best_count = ~std::size_t{0};
    for (std::size_t c = 0; c < cached.size(); ++c) {
      std::size_t n = 0;
      for (std::size_t i = 0; i < key.size() && i < cached[c].size(); ++i) n += !part_matches(cached[c][i], key[i]);
      if (n < best_count) {
        best_count = n;
        best = c;
      }
    }
    if (best < cached_sites.size()) previous_site = cached_sites[best];
    for (std::size_t i = 0; i < key.size() && i < cached[best].size(); ++i) {
      if (part_matches(cached[best][i], key[i])) continue;
      if (!diff.empty()) diff += "; ";
      diff += "argument " + std::to_string(i) + ": " + part_string(cached[best][i]) + " before, " +
              part_string(key[i]) + " now";
      if (key[i].kind != key_kind::tensor) kind = "trace-scalar-retrace";
      only_bools_differ &= key[i].kind == key_kind::boolean && cached[best][i].kind == key_kind::boolean;
    }
  }
  std::lock_guard<std::mutex> lock(impl_->history_mu);
  // A call site that traced one signature and now traces another: reported at that site at once
  // (TF's frequency rule below needs 5 retraces in 10 calls).
  // Not reported: a retrace that reduce_retracing generalized (the designed second trace), and one
  // that differs only in bool arguments (at most two signatures: the guide's `training` flag).
  bool site_retraced = retraced && call_site && !generalized && !only_bools_differ &&
                       std::find(cached_sites.begin(), cached_sites.end(), call_site) != cached_sites.end();
  if (site_retraced && impl_->retraced_sites.insert(call_site).second) {
    auto o = base_observation(kind, display_name(), impl_->created_at);
    o.entity = diff.substr(0, diff.find(':'));
    o.location = code_location(call_site);
    o.details["diff"] = diff;
    if (previous_site) o.details["previous_call_site"] = code_location(previous_site);
    o.message = "'" + display_name() + "' called at " + o.location + " traced a second signature there (" + diff +
                "): every new signature is a new trace; " +
                (kind == "trace-shape-retrace"
                     ? "give it an input_signature with unknown dimensions (-1) or set reduce_retracing"
                     : "pass the changing host value as a tensor");
    pending_.push_back(std::move(o));
  }
  impl_->recent_retraces.push_back(retraced);
  if (impl_->recent_retraces.size() > 10) impl_->recent_retraces.pop_front();
  int retraces = 0;
  for (bool r : impl_->recent_retraces) retraces += r;
  if (retraced && retraces >= 5 && !impl_->frequent_reported) {
    impl_->frequent_reported = true;
    auto o = base_observation(kind, display_name(), impl_->created_at);
    o.entity = diff.substr(0, diff.find(':'));
    o.details["retraces_in_last_10_calls"] = std::to_string(retraces);
    o.details["diff"] = diff;
    o.details["traces"] = std::to_string(impl_->traces.load());
    // The call that retraced, and the one that traced the signature it differs from.
    if (call_site) o.location = code_location(call_site);
    if (previous_site) o.details["previous_call_site"] = code_location(previous_site);
    o.message = "'" + display_name() + "' retraced on " + std::to_string(retraces) + " of its last " +
                std::to_string(impl_->recent_retraces.size()) + " calls (" + diff + "); " +
                (kind == "trace-shape-retrace"
                     ? "give it an input_signature with unknown dimensions (-1) or set reduce_retracing"
                     : "pass the changing host value as a tensor");
    pending_.push_back(std::move(o));
  }
}

std::vector<tensor> function_core::call(call_key key, const std::vector<tensor>& tensor_args, const trace_body& body,
                                        const void* call_site) {
  current_settings();  // a TL_* value the runtime does not accept is an error, before anything runs
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
  bool checking = checks_enabled();
  bool traced_now = false;
  std::vector<observation> raised;  // thrown at the end of the call in assert mode
  concrete_function* cf = find();
  if (!cf) {
    std::lock_guard<std::mutex> trace_lock(impl_->trace_mu);
    cf = find();
    if (!cf) {
      std::vector<call_key> cached;
      std::vector<const void*> cached_sites;
      {
        std::lock_guard<std::mutex> lock(impl_->cache_mu);
        for (auto& c : impl_->cache) {
          cached.push_back(c->key);
          cached_sites.push_back(c->traced_at);
        }
      }
      call_key original_key = key;
      if (options_.reduce_retracing) {
        for (const auto& c : cached)
          if (generalize(c, key)) break;
      }
      auto fresh = std::make_unique<concrete_function>();
      fresh->key = key;
      // On the heap: the trace writes it while the caller's frames may be write-protected.
      auto trace_owner = std::make_unique<trace_state>();
      trace_state& ts = *trace_owner;
      ts.serial = next_trace_serial();
      ts.function_name = display_name();
      ts.function_created_at = impl_->created_at;
      ts.first_trace = impl_->traces == 0;
      ts.baked = &fresh->baked;
      ts.baked->set_entry_frame(__builtin_frame_address(0));
      std::optional<static_snapshot> snapshot;
      if (checking) snapshot.emplace(__builtin_frame_address(0));
      // Only where writes are located: the trace stack exists so that the caller's frames can be
      // write-protected (with TL_LOCATE_WRITES=0 the trace stays on the caller's stack).
      if (snapshot && write_locator::enabled()) {
        run_on_trace_stack([&] {
          struct frames_guard {
            static_snapshot& s;
            bool on = on_trace_stack();
            explicit frames_guard(static_snapshot& snap) : s(snap) {
              if (on) s.protect_caller_frames();
            }
            ~frames_guard() {
              if (on) s.unprotect_caller_frames();
            }
          } guard(*snapshot);
          record_trace(ts, key, body);
        });
      } else {
        record_trace(ts, key, body);
      }
      std::vector<static_write> writes;
      if (snapshot) {
        std::vector<const void*> created;
        for (const auto& v : ts.created_variables) created.push_back(v.get());
        writes = snapshot->changes(created);
      }
      if (checking) {
        auto found = leaked_tensors(ts, writes);
        for (auto& o : graph_only_variables(ts)) found.push_back(std::move(o));
        for (auto& o : found) {
          observe(o, false);
          raised.push_back(std::move(o));
        }
      }
      {
        for (const auto& w : writes) {
          auto o = base_observation("trace-host-mutation", display_name(), impl_->created_at);
          o.entity = w.symbol;
          o.details["module"] = w.module;
          o.details["section"] = w.section;
          o.details["bytes_changed"] = std::to_string(w.bytes_changed);
          if (w.caller_frame) {
            char address[32];
            std::snprintf(address, sizeof address, "%#llx", static_cast<unsigned long long>(w.vaddr));
            o.details["address"] = address;
          }
          o.details["replays_skipped"] = "0";
          // The writing statement, from the faulting instruction of a write-protected page.
          if (!w.writer.empty())
            o.location = code_location_of_stack(w.writer.data(), static_cast<int>(w.writer.size()));
          std::string what = w.caller_frame ? w.symbol
                                            : "'" + w.symbol + "' (" +
                                                  (w.module.empty() ? "process" : w.module + " " + w.section) + ")";
          o.message = what + " was " + (w.first_initialization ? "first initialized" : "written") + " while tracing '" +
                      display_name() + "': the write happened at trace time only, and replays of the graph skip it";
          int index = observe(o, false);
          if (index >= 0) fresh->skipped_writes.push_back(index);
          raised.push_back(std::move(o));
        }
      }
      for (const auto& n : ts.g.nodes)
        if (n.kind == op_kind::read_variable && std::find(fresh->read_variables.begin(), fresh->read_variables.end(),
                                                          n.attrs.var) == fresh->read_variables.end())
          fresh->read_variables.push_back(n.attrs.var);
      for (const auto& v : fresh->read_variables) v->read_by_graph.store(true);
      fresh->owned_variables = std::move(ts.created_variables);
      fresh->traced = ts.g;
      fresh->reads_trainable = reads_trainable_variable(fresh->traced);
      fresh->traced_at = call_site;
      fresh->g = optimize(std::move(ts.g));
      if (const char* dump = std::getenv("TL_DUMP_GRAPHS"); dump && *dump == '1') {
        // Debugging aid: the optimized graph of each trace, one node per line.
        std::fprintf(stderr, "tl: graph of '%s' %s:\n", display_name().c_str(), key_string(fresh->key).c_str());
        for (std::size_t i = 0; i < fresh->g.nodes.size(); ++i) {
          const auto& n = fresh->g.nodes[i];
          std::fprintf(stderr, "  %%%zu = %s%s(", i, op_name(n.kind), shape_string(n.out.shape).c_str());
          for (std::size_t j = 0; j < n.inputs.size(); ++j) std::fprintf(stderr, "%s%%%d", j ? ", " : "", n.inputs[j]);
          std::fprintf(stderr, ")\n");
        }
      }
      bool first = impl_->traces++ == 0;
      traced_now = true;
      {
        std::lock_guard<std::mutex> lock(impl_->cache_mu);
        impl_->cache.push_back(std::move(fresh));
        cf = impl_->cache.back().get();
      }
      if (checking) {
        bool generalized = false;  // reduce_retracing turned dimensions of the call into unknown ones
        for (std::size_t i = 0; i < key.size() && i < original_key.size(); ++i)
          generalized |= key[i].shape != original_key[i].shape;
        note_call(!first, original_key, cached, call_site, cached_sites, generalized);
        if (first && !impl_->counted_at_site) {
          impl_->counted_at_site = true;
          site_counts at_site;
          {
            std::lock_guard<std::mutex> lock(g_sites_mu);
            auto& c = g_sites[site_key(impl_->created_at)];
            ++c.traced;
            at_site = c;
          }
          if (at_site.traced >= 3 && at_site.discarded >= 2) {
            auto o = base_observation("trace-function-in-loop", display_name(), impl_->created_at);
            o.entity = format_location(impl_->created_at);
            // The statement to change is the creation inside the loop; the call is evidence.
            o.location = format_location(impl_->created_at);
            if (call_site) o.details["call_site"] = code_location(call_site);
            o.details["function_objects_at_site"] = std::to_string(at_site.traced);
            o.details["discarded_after_one_trace"] = std::to_string(at_site.discarded);
            o.message = "a new function object created at " + format_location(impl_->created_at) + " was traced, " +
                        std::to_string(at_site.traced) + " created there so far and " +
                        std::to_string(at_site.discarded) +
                        " destroyed without a single replay: each one starts with an empty cache; create the "
                        "tl::function once, outside the loop, and reuse it";
            observe(o, false);
            raised.push_back(std::move(o));
          }
        }
      }
    } else if (checking) {
      note_call(false, key, {});
    }
  } else if (checking) {
    note_call(false, key, {});
  }
  if (!traced_now && !impl_->served.load(std::memory_order_relaxed))
    impl_->served.store(true, std::memory_order_relaxed);
  if (checking && !traced_now && verify_this_call()) {
    std::lock_guard<std::mutex> trace_lock(impl_->trace_mu);
    trace_state again;
    again.serial = next_trace_serial();
    again.function_name = display_name();
    again.function_created_at = impl_->created_at;
    again.first_trace = false;
    again.verification = true;
    auto found = contained_retrace(
        [&] {
          record_trace(again, cf->key, body);
          return compare_traces(cf->traced, again, display_name(), impl_->location);
        },
        display_name(), impl_->location);
    for (auto& o : found) {
      observe(o, false);
      raised.push_back(std::move(o));
    }
  }
  if (checking) {
    if (!traced_now)
      for (int index : cf->skipped_writes) bump_observation(index, 1, "replays_skipped");
    for (const auto& v : cf->read_variables) {
      // An eager update since this graph last ran: the update could have been part of the graph.
      int updates = v->eager_updates.exchange(0);
      if (updates == 0) continue;
      int episodes = ++v->eager_update_episodes;
      if (episodes == 3) {
        auto o = base_observation("trace-update-outside", display_name(), impl_->created_at);
        o.entity = v->name;
        o.details["variable"] = v->name;
        o.details["eager_update_episodes"] = std::to_string(episodes);
        {
          std::lock_guard<std::mutex> lock(v->mu);
          if (v->last_eager_update.line() != 0) o.location = format_location(v->last_eager_update);
        }
        o.message = "variable '" + v->name + "', which '" + display_name() +
                    "' reads, is updated eagerly between its calls (3 times so far): correct, but each update runs op "
                    "by op on the host; move the update into '" +
                    display_name() + "'";
        observe(o, false);
        raised.push_back(std::move(o));
      }
    }
    for (auto& o : cf->baked.check_replay(display_name(), impl_->location, __builtin_frame_address(0))) {
      observe(o, false);
      raised.push_back(std::move(o));
    }
  }
  std::vector<observation> pending;
  {
    std::lock_guard<std::mutex> lock(impl_->history_mu);
    pending.swap(pending_);
  }
  for (auto& o : pending) {
    observe(o, false);
    raised.push_back(std::move(o));
  }
  // Under a tape that needs this call, the graph runs op by op so that gradients flow through it.
  auto result = tapes_need_call(cf->reads_trainable, tensor_args) ? run_call_on_tapes(cf->traced, tensor_args)
                                                                  : plan_for(*cf, tensor_args).run(tensor_args);
  if (!raised.empty() && get_check_mode() == check_mode::assert_) throw hazard_error(std::move(raised.front()));
  return result;
}

}  // namespace detail
}  // namespace tl
