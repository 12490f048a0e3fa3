#pragma once
#include <string>
#include <vector>

#include "tl/checks.h"

namespace tl::detail {

// Records an observation. Distinct observations (same rule, function and entity) are merged and
// counted. In warn mode the first of each is logged; in assert mode it is thrown as
// tl::hazard_error (unless `throwable` is false, e.g. on a path that must not throw).
// Returns the stored observation's index, or -1 in off mode.
int observe(observation o, bool throwable = true);
// Adds `n` to the count of a stored observation and sets a detail (e.g. replays that skipped it).
void bump_observation(int index, std::uint64_t n, const std::string& detail_key);
bool checks_enabled();
// While `into` is set, observe() on the calling thread appends to it and does nothing else (no
// registry, no lock, no output): verify mode's forked child, where another thread of the program
// may have held the registry's lock when it was forked. Null ends it.
void collect_observations(std::vector<observation>* into);
// The warn mode's line for o: "file:line: warning: message [rule]" like a compiler when o has a
// file:line location, else "tl: warning: message (at location) [rule]".
std::string warning_line(const observation& o);

}  // namespace tl::detail
