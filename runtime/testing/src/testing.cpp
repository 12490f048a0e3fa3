#include "tl/testing.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace tl::testing {

namespace {
std::atomic<int> g_expecting{0};
std::mutex g_mu;
}  // namespace

detail::expecting_scope::expecting_scope() { ++g_expecting; }
detail::expecting_scope::~expecting_scope() { --g_expecting; }

hazard_recorder::hazard_recorder() {
  if (get_check_mode() == check_mode::off) {
    restore_off_ = true;
    set_check_mode(check_mode::warn);
  }
  // Distinct observations are reported to listeners once per process; to see repeats inside this
  // scope the registry is compared before and after as well.
  before_ = tl::observations();
  listener_ = add_hazard_listener([this](const observation& o) {
    std::lock_guard<std::mutex> lock(g_mu);
    observed_.push_back(o);
  });
}

hazard_recorder::~hazard_recorder() {
  remove_hazard_listener(listener_);
  if (restore_off_) set_check_mode(check_mode::off);
}

bool hazard_recorder::saw(const std::string& rule) const {
  for (const auto& o : observed_)
    if (o.rule == rule) return true;
  // A repeat of a known observation raises its count instead of calling listeners.
  auto now = tl::observations();
  for (std::size_t i = 0; i < now.size(); ++i) {
    if (now[i].rule != rule) continue;
    if (i >= before_.size() || now[i].count != before_[i].count) return true;
  }
  return false;
}

std::string hazard_recorder::summary() const {
  std::string s;
  for (const auto& o : observed_) s += "\n  [" + o.rule + "] " + o.message;
  return s.empty() ? "none" : s;
}

int fail_tests_on_hazards() {
  return add_hazard_listener([](const observation& o) {
    if (g_expecting.load() > 0) return;
    // At the user's statement when the runtime knows it, else where the traced function was made,
    // so the failure links to the culprit instead of to this listener.
    const std::string& where = !o.location.empty() ? o.location : o.function_location;
    auto colon = where.rfind(':');
    int line = colon == std::string::npos ? 0 : std::atoi(where.c_str() + colon + 1);
    if (line > 0) {
      ADD_FAILURE_AT(where.substr(0, colon).c_str(), line)
          << "tl hazard [" << o.rule << "] in '" << o.function << "': " << o.message;
    } else {
      ADD_FAILURE() << "tl hazard [" << o.rule << "] in '" << o.function << "': " << o.message;
    }
  });
}

}  // namespace tl::testing
