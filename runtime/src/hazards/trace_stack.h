#pragma once
// A checked trace runs on a stack of its own, so that the caller's frames can be write-protected
// while it runs (hazards/write_locator.h) and a write through a captured reference is named by its
// statement. On the caller's stack that is impossible: the page holding the runtime's entry frame
// also holds every frame the trace pushes, so each call would fault. One stack per thread, made on
// first use and kept; as large as the thread's own stack (the main thread: its stack limit, 1 GiB of
// address space when unlimited).
#include <functional>

namespace tl::detail {

// Runs `body` on the calling thread's trace stack and returns when it has. An exception `body`
// throws is rethrown here, on the caller's stack. Runs `body` in place when the platform or a
// sanitizer rules the switch out, or when the thread is already on its trace stack.
// Returns whether `body` ran on the trace stack.
bool run_on_trace_stack(const std::function<void()>& body);
// Whether the calling code runs on its thread's trace stack.
bool on_trace_stack();

}  // namespace tl::detail
