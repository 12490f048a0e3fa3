#pragma once
#include <iosfwd>

#include "core/value_type.h"

namespace tl::detail {
// Prints values NumPy-style, eliding the middle of long axes.
void format_values(std::ostream& os, const void* data, const value_type& t);
}  // namespace tl::detail
