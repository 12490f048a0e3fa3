#pragma once
// Verify mode (TL_CHECK_MODE=verify, or function_options::verify): a call the cache served is traced
// again and the fresh graph compared with the cached one as traced. It sees what snapshots cannot:
// host values that reach an op through a temporary (`x * (lr * 2)`), container elements, values
// behind pointers and in heap objects. A differing constant or attribute is trace-stale-capture
// with the traced and the current value; a differing structure (the trace branched on host state)
// is trace-stale-capture of the graph's structure. It runs the function's host code again on every
// verified call: a test mode.
#include <functional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "tl/checks.h"
#include "tracer/trace.h"

namespace tl::detail {

std::vector<observation> compare_traces(const graph& cached, const trace_state& fresh, const std::string& function,
                                        const std::string& function_location);

// Runs `verify` (the function traced again, and its graph compared) in a forked copy of the
// program, so that the program cannot tell: the retrace's host code writes into the copy's memory
// (static storage, frames, heap, libc's state), prints into /dev/null, and an exception it throws
// or a crash ends the copy only. Returns the observations it made (those of the retrace itself,
// such as a variable created again, included), or one saying why it could not finish.
std::vector<observation> contained_retrace(const std::function<std::vector<observation>()>& verify,
                                           const std::string& function, const std::string& function_location);

}  // namespace tl::detail
