#include "hazards/baked_values.h"

#include <cstring>
#include <sstream>

#include "core/code_location.h"
#include "core/observations.h"
#include "hazards/static_snapshot.h"
#include "tracer/trace.h"

namespace tl::detail {

namespace {

bool in_caller_frames(const void* addr, const void* entry_frame) {
  auto a = reinterpret_cast<std::uintptr_t>(addr);
  return entry_frame && a > reinterpret_cast<std::uintptr_t>(entry_frame) && a < thread_stack_top();
}

std::string describe_double(const std::string& bytes) {
  double v;
  std::memcpy(&v, bytes.data(), sizeof v);
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

void baked_values::record(const void* addr, std::size_t size, baked_kind kind, const std::string& location,
                          const void* call_site) {
  bool is_static = false;
  std::string symbol = static_symbol_of(addr, is_static);
  bool on_stack = !is_static && std::this_thread::get_id() == thread_ && in_caller_frames(addr, entry_frame_);
  if (!is_static && !on_stack) return;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& e : entries_)
    if (e.addr == addr) return;
  entries_.push_back(
      {addr, std::string(static_cast<const char*>(addr), size), kind, on_stack, symbol, location, call_site});
}

std::vector<observation> baked_values::check_replay(const std::string& function, const std::string& function_location,
                                                    const void* entry_frame) {
  std::vector<observation> out;
  if (entries_.empty()) return out;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& e : entries_) {
    if (e.reported) continue;
    // A stack value is readable only from the tracing thread, while the frame holding it is live.
    if (e.on_stack && (std::this_thread::get_id() != thread_ || !in_caller_frames(e.addr, entry_frame))) continue;
    if (std::memcmp(e.addr, e.bytes.data(), e.bytes.size()) == 0) continue;
    e.reported = true;
    if (e.location.empty() && e.call_site) e.location = code_location(e.call_site);
    observation o;
    o.rule = "trace-stale-capture";
    o.function = function;
    o.function_location = function_location;
    o.location = e.location;
    std::string name = !e.symbol.empty() ? "'" + e.symbol + "'" : "a host value captured by reference";
    // Unnamed values are told apart by their order of baking in this graph.
    o.entity = !e.symbol.empty() ? e.symbol
                                 : std::string(e.kind == baked_kind::host_double ? "host value" : "tensor") +
                                       " captured by reference #" + std::to_string(&e - entries_.data() + 1);
    if (e.kind == baked_kind::host_double) {
      std::string now(static_cast<const char*>(e.addr), e.bytes.size());
      o.details["traced_value"] = describe_double(e.bytes);
      o.details["current_value"] = describe_double(now);
      o.message = name + " was " + o.details["traced_value"] + " when '" + function + "' was traced and is " +
                  o.details["current_value"] + " now; the graph still uses " + o.details["traced_value"] +
                  ". Pass it as a tensor argument or keep it in a tl::variable";
    } else {
      std::string tensor_name =
          !e.symbol.empty()
              ? "'" + e.symbol + "'"
              : "captured by reference" + (e.location.empty() ? std::string() : " (used at " + e.location + ")");
      o.message = "a tensor " + tensor_name + " was rebound after '" + function +
                  "' was traced; the graph still uses the tensor it saw while tracing. Keep it in a tl::variable "
                  "and assign to it";
    }
    out.push_back(std::move(o));
  }
  return out;
}

void note_baked(const void* addr, std::size_t size, baked_kind kind, const std::source_location& loc) {
  auto* tr = current_trace();
  if (!tr || !tr->baked || !checks_enabled()) return;
  if (loc.line() != 0)
    tr->baked->record(addr, size, kind, format_location(loc), nullptr);
  else
    tr->baked->record(addr, size, kind, std::string(), current_operator_site());
}

}  // namespace tl::detail
