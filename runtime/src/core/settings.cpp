#include "core/settings.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "tl/error.h"

namespace tl::detail {

namespace {

long verify_every_from_env() {
  const char* v = std::getenv("TL_VERIFY_EVERY");
  if (!v) return 1;
  // Digits only: strtol would read "1e99" as 1 and "3xyz" as 3.
  bool digits = *v && std::strspn(v, "0123456789") == std::strlen(v);
  errno = 0;
  long n = digits ? std::strtol(v, nullptr, 10) : 0;
  if (!digits || errno == ERANGE || n < 1)
    throw tl::error("tl: TL_VERIFY_EVERY='" + std::string(v) +
                    "' is not a positive integer (verify every Nth call the cache serves: 1, 2, 3, ...)");
  return n;
}

bool locate_writes_from_env() {
  const char* v = std::getenv("TL_LOCATE_WRITES");
  if (!v) return true;
  for (const char* yes : {"1", "true", "on", "yes"})
    if (std::strcmp(v, yes) == 0) return true;
  for (const char* no : {"0", "false", "off", "no"})
    if (std::strcmp(v, no) == 0) return false;
  throw tl::error("tl: TL_LOCATE_WRITES='" + std::string(v) + "' is not one of 0, 1, false, true, off, on, no, yes");
}

}  // namespace

std::optional<check_mode> parse_check_mode(const char* v) {
  if (!v || !*v || std::strcmp(v, "warn") == 0) return check_mode::warn;
  if (std::strcmp(v, "off") == 0) return check_mode::off;
  if (std::strcmp(v, "assert") == 0) return check_mode::assert_;
  if (std::strcmp(v, "verify") == 0) return check_mode::verify;
  return std::nullopt;
}

std::string check_mode_setting_error() {
  const char* v = std::getenv("TL_CHECK_MODE");
  if (parse_check_mode(v)) return "";
  return "tl: TL_CHECK_MODE='" + std::string(v) + "' is not one of off, warn, assert, verify";
}

const settings& current_settings() {
  // Read on every call of a tl::function: after the first success, one atomic load.
  static std::atomic<const settings*> parsed{nullptr};
  if (const auto* p = parsed.load(std::memory_order_acquire)) return *p;
  static std::mutex mu;
  static settings storage;
  std::lock_guard<std::mutex> lock(mu);
  if (const auto* p = parsed.load(std::memory_order_acquire)) return *p;
  if (auto why = check_mode_setting_error(); !why.empty()) throw tl::error(why);
  storage.verify_every = verify_every_from_env();
  storage.locate_writes = locate_writes_from_env();
  parsed.store(&storage, std::memory_order_release);
  return storage;
}

}  // namespace tl::detail
