#include "core/observations.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/output_file.h"
#include "core/settings.h"

namespace tl {

namespace {

// An unaccepted value starts in warn mode; the first tl::function call throws its error
// (core/settings.h), so nothing is checked in a mode the user did not ask for.
check_mode mode_from_env() { return detail::parse_check_mode(std::getenv("TL_CHECK_MODE")).value_or(check_mode::warn); }

struct registry {
  std::mutex mu;
  std::vector<observation> items;
  std::map<int, hazard_listener> listeners;
  int next_listener = 0;
  std::atomic<check_mode> mode{mode_from_env()};
  std::string report_path;  // absolute: resolved in the directory the program started in
  pid_t report_pid = 0;     // the process TL_REPORT is for; a forked child writes a file of its own
  std::terminate_handler previous_terminate = nullptr;
};

// A forked child's report: the parent's path with the child's pid before the extension
// (report.json -> report.<pid>.json), so the one that exits last never replaces the other's.
std::string report_path_of_this_process(const std::string& path, pid_t owner) {
  if (getpid() == owner) return path;
  auto slash = path.rfind('/');
  auto dot = path.rfind('.');
  std::string pid = std::to_string(getpid());
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) || dot == slash + 1)
    return path + "." + pid;
  return path.substr(0, dot) + "." + pid + path.substr(dot);
}

registry& reg();

void write_report_at_exit() {
  auto& r = reg();
  if (r.report_path.empty()) return;
  try {
    write_report(report_path_of_this_process(r.report_path, r.report_pid));
  } catch (const tl::error& e) {
    std::fprintf(stderr, "%s\n", e.what());
  }
}

[[noreturn]] void terminate_with_report() {
  write_report_at_exit();
  auto prev = reg().previous_terminate;
  if (prev) prev();
  std::abort();
}

registry& reg() {
  // Never destroyed: observations may arrive from static destructors after main returns.
  static registry* r = [] {
    auto* x = new registry;
    if (const char* p = std::getenv("TL_REPORT"); p && *p) {
      // A relative path names a file in the start directory, whatever directory the program is in
      // when it exits.
      x->report_path = p;
      if (p[0] != '/') {
        if (char cwd[4096]; getcwd(cwd, sizeof cwd)) x->report_path = std::string(cwd) + "/" + p;
      }
      x->report_pid = getpid();
      std::atexit(write_report_at_exit);
      // An uncaught exception ends the process through std::terminate, not exit: write there too.
      x->previous_terminate = std::set_terminate(terminate_with_report);
    }
    return x;
  }();
  return *r;
}

// Touch the registry at load time so TL_REPORT is armed even when no hazard ever occurs.
[[maybe_unused]] const bool g_armed = (reg(), true);

}  // namespace

hazard_error::hazard_error(observation o) : error("tl: [" + o.rule + "] " + o.message), observation_(std::move(o)) {}

void set_check_mode(check_mode m) { reg().mode = m; }
check_mode get_check_mode() { return reg().mode; }

std::vector<observation> observations() {
  auto& r = reg();
  std::lock_guard<std::mutex> lock(r.mu);
  return r.items;
}

void clear_observations() {
  auto& r = reg();
  std::lock_guard<std::mutex> lock(r.mu);
  r.items.clear();
}

int add_hazard_listener(hazard_listener listener) {
  auto& r = reg();
  std::lock_guard<std::mutex> lock(r.mu);
  r.listeners[r.next_listener] = std::move(listener);
  return r.next_listener++;
}

void remove_hazard_listener(int id) {
  auto& r = reg();
  std::lock_guard<std::mutex> lock(r.mu);
  r.listeners.erase(id);
}

void write_report(const std::string& path) {
  auto items = observations();
  nlohmann::ordered_json report = {{"schema", "tracelint-runtime-report"}, {"version", 1}, {"pid", ::getpid()}};
  auto& list = report["observations"] = nlohmann::ordered_json::array();
  for (const auto& o : items) {
    list.push_back({{"rule", o.rule},
                    {"function", o.function},
                    {"function_location", o.function_location},
                    {"location", o.location},
                    {"entity", o.entity},
                    {"count", o.count},
                    {"message", o.message},
                    {"details", o.details}});
  }
  // Names and paths are the user's bytes: what is not UTF-8 becomes U+FFFD, so the report is
  // always JSON that `tracelint confirm` reads.
  std::string text = report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (auto why = detail::write_output_file(path, text); !why.empty())
    throw tl::error("tl: cannot write the runtime report to '" + path + "': " + why);
}

namespace detail {

std::string warning_line(const observation& o) {
  // Only a "file:line" location leads the line: editors and CI log parsers jump to it as to a
  // compiler's diagnostic. Anything else (an address without debug information) stays in the text.
  auto colon = o.location.rfind(':');
  bool file_line = colon != std::string::npos && colon > 0 && colon + 1 < o.location.size() &&
                   o.location.find_first_not_of("0123456789", colon + 1) == std::string::npos;
  if (file_line) return o.location + ": warning: " + o.message + " [" + o.rule + "]";
  std::string line = "tl: warning: " + o.message;
  if (!o.location.empty()) line += " (at " + o.location + ")";
  return line + " [" + o.rule + "]";
}

bool checks_enabled() { return reg().mode.load(std::memory_order_relaxed) != check_mode::off; }

namespace {
thread_local std::vector<observation>* t_collector = nullptr;
}

void collect_observations(std::vector<observation>* into) { t_collector = into; }

int observe(observation o, bool throwable) {
  if (t_collector) {
    t_collector->push_back(std::move(o));
    return -1;
  }
  auto& r = reg();
  auto mode = r.mode.load();
  if (mode == check_mode::off) return -1;
  int index = -1;
  bool fresh = false;
  std::vector<hazard_listener> listeners;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    for (std::size_t i = 0; i < r.items.size(); ++i) {
      auto& it = r.items[i];
      // One hazard per statement: the same argument retracing at two call sites is two hazards.
      if (it.rule == o.rule && it.function == o.function && it.entity == o.entity &&
          it.function_location == o.function_location && it.location == o.location) {
        it.count += o.count;
        for (auto& [k, v] : o.details) it.details[k] = v;
        index = static_cast<int>(i);
        break;
      }
    }
    if (index < 0) {
      r.items.push_back(o);
      index = static_cast<int>(r.items.size()) - 1;
      fresh = true;
      for (auto& [id, l] : r.listeners) listeners.push_back(l);
    }
  }
  if (fresh) {
    for (auto& l : listeners) l(o);
    if (mode == check_mode::warn || mode == check_mode::verify) {
      std::cerr << warning_line(o) << std::endl;
    }
  }
  if (mode == check_mode::assert_ && throwable) throw hazard_error(std::move(o));
  return index;
}

void bump_observation(int index, std::uint64_t n, const std::string& detail_key) {
  if (index < 0) return;
  auto& r = reg();
  std::lock_guard<std::mutex> lock(r.mu);
  if (static_cast<std::size_t>(index) >= r.items.size()) return;
  auto& it = r.items[static_cast<std::size_t>(index)];
  auto cur = it.details.count(detail_key) ? std::stoull(it.details[detail_key]) : 0;
  it.details[detail_key] = std::to_string(cur + n);
}

}  // namespace detail
}  // namespace tl
