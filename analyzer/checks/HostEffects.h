#pragma once
// Calls of pack-listed host functions (I/O, RNG, clocks) in trace-reachable code: shared by
// trace-host-io and trace-host-random.
#include <string>
#include <vector>

#include "checks/Check.h"

namespace tracelint {

// Reports every call, in trace-reachable code, of a function named in Names (free functions,
// methods and operators, qualified without template arguments), with the message the root's pack
// gives for Check.
void reportHostCalls(const CheckContext& C, const std::vector<std::string>& Names);

}  // namespace tracelint
