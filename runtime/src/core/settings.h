#pragma once
// The runtime's settings from the environment. A value that is not one the runtime accepts is an
// error naming the variable and the values it accepts (thrown as tl::error by the first
// tl::function call), never read as something else: TL_CHECK_MODE=Assert is not warn mode.
#include <optional>
#include <string>

#include "tl/checks.h"

namespace tl::detail {

struct settings {
  long verify_every = 1;      // TL_VERIFY_EVERY: verify every Nth call the cache serves
  bool locate_writes = true;  // TL_LOCATE_WRITES
};

// Parsed once; throws tl::error (and again on the next call) while a value is not accepted.
const settings& current_settings();
// TL_CHECK_MODE's value as a mode; nullopt for a value that is none. Unset or empty is warn.
std::optional<check_mode> parse_check_mode(const char* value);
// The error for the process's TL_CHECK_MODE, "" when it is accepted.
std::string check_mode_setting_error();

}  // namespace tl::detail
