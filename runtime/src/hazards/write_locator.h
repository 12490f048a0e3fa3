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
  // run on another stack (hazards/trace_stack.h): the fault handler needs a writable stack. When
  // another thread's locator is active, this one joins it (its own frames are then not watched).
  // Does nothing when locating is off. Only pages
  // that `now` lists as readable and writable are watched; stop() gives each the protection it had.
  void start(const std::vector<range>& ranges, range frames, const page_protections& now);
  void protect_frames();
  void unprotect_frames();
  void stop();
  // The first recorded write into [begin, end): the writing instruction, then the return addresses
  // of its callers (innermost first); empty when none was recorded.
  std::vector<const void*> writer_of(std::uintptr_t begin, std::uintptr_t end) const;
  // Whether [begin, end) was written, during this trace, only by threads running traces of their
  // own: the snapshot sees those bytes change too, but the writes are the other traces' hazards.
  bool written_only_by_other_traces(std::uintptr_t begin, std::uintptr_t end) const;
  // Every address in [begin, end) recorded as written, with its first writer (as writer_of), by address.
  std::vector<std::pair<std::uintptr_t, std::vector<const void*>>> writes_in(std::uintptr_t begin,
                                                                             std::uintptr_t end) const;

 private:
  struct write {
    std::uintptr_t address;
    std::vector<const void*> stack;
  };
  bool started_ = false;
  bool owner_ = false;  // the first of concurrent traces: it protected the pages, and its frames
  bool frames_protected_ = false;
  int thread_ = 0;                      // the tracing thread (its id)
  std::size_t first_record_ = 0;        // the shared records from this trace's start on
  std::vector<write> writes_;           // in order: this trace's thread's, and non-tracing threads'
  std::vector<std::uintptr_t> others_;  // addresses other traces' threads wrote meanwhile
};

}  // namespace tl::detail
