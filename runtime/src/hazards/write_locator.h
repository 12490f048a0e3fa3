#pragma once
// Finds the statement behind a write to static storage during a trace, without recompiling user
// code: while tracing, the pages of the snapshotted sections are read-only; each write faults, the
// handler records the written address and the writing instruction, makes the page writable for that
// one instruction (single-step), and protects it again. The instruction address becomes file:line
// only when the write is reported (core/code_location.h). x86-64 Linux; off under sanitizers (their
// own fault handling) and with TL_LOCATE_WRITES=0. A system call that writes into a protected page
// (read(2) into a static buffer) fails with EFAULT while tracing: that is why it can be turned off.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace tl::detail {

class page_protections;

class write_locator {
 public:
  write_locator() = default;
  ~write_locator() { stop(); }
  write_locator(const write_locator&) = delete;
  write_locator& operator=(const write_locator&) = delete;

  // Loads what the fault handler needs (the unwinder), so that nothing is loaded while tracing.
  static void prepare();
  using range = std::pair<std::uintptr_t, std::size_t>;  // absolute begin, size
  // Whether writes are located at all (platform, sanitizers, TL_LOCATE_WRITES).
  static bool enabled();
  // Protects the pages of `ranges` until stop(). The pages of `frames`, the caller's live frames,
  // are watched too but protected only between protect_frames() and unprotect_frames(), which must
  // run on another stack (hazards/trace_stack.h): the fault handler needs a writable stack. Does
  // nothing when another locator is active on any thread, or when locating is off. Only pages
  // that `now` lists as readable and writable are watched; stop() gives each the protection it had.
  void start(const std::vector<range>& ranges, range frames, const page_protections& now);
  void protect_frames();
  void unprotect_frames();
  void stop();
  // The first recorded write into [begin, end): the writing instruction, then the return addresses
  // of its callers (innermost first); empty when none was recorded.
  std::vector<const void*> writer_of(std::uintptr_t begin, std::uintptr_t end) const;
  // Every address in [begin, end) recorded as written, with its first writer (as writer_of), by address.
  std::vector<std::pair<std::uintptr_t, std::vector<const void*>>> writes_in(std::uintptr_t begin,
                                                                             std::uintptr_t end) const;

 private:
  struct write {
    std::uintptr_t address;
    std::vector<const void*> stack;
  };
  bool started_ = false;
  bool frames_protected_ = false;
  std::vector<write> writes_;  // in order
};

}  // namespace tl::detail
