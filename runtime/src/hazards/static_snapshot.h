#pragma once
// Detects writes to the user's static storage during a trace, with no registration by the user:
// the writable data sections (.data, .bss and friends) of the user's loaded modules are copied
// before the trace and compared after it; changed bytes are named by ELF symbol. The runtime's own
// module, system libraries (libc, libstdc++, BLAS, OpenMP) and the dynamic linker's tables (.got,
// .got.plt, RELRO) are left out, so lazy binding never shows up as a write.
// See ../shared/RUNTIME-NOTES.md for the measurements behind these choices.
#include <cstdint>
#include <string>
#include <vector>

namespace tl::detail {

struct static_write {
  std::string module;   // file name of the module
  std::string symbol;   // demangled; "<module>+0xADDR" when no symbol covers it
  std::string section;  // ".data", ".bss", ...
  std::uint64_t vaddr = 0;
  std::size_t bytes_changed = 0;
  bool first_initialization = false;  // a function-local static whose guard also changed
  bool caller_frame = false;          // a variable of a caller's frame, not static storage
  std::vector<const void*> writer;    // the first write's instruction and its callers, if located
  std::uintptr_t address = 0;         // the written object (the symbol, or the run of changed frame words)
  std::size_t size = 0;
};

// Does [begin, end) hold `target` in an aligned word, or in the first bytes of the object a word
// there points to (a std::vector's elements, a std::unique_ptr's object)? Reads without faulting.
bool holds_pointer(std::uintptr_t begin, std::uintptr_t end, const void* target);

// Highest address of the calling thread's stack mapping, looked up once per thread
// (pthread_getattr_np parses /proc/self/maps for the main thread: ~20 us).
std::uintptr_t thread_stack_top();

// The symbol of a static-storage address in a user module ("" when the address is not one).
std::string static_symbol_of(const void* addr, bool& is_static);

class static_snapshot {
 public:
  // With an entry frame, the live frames of the calling thread above it (the traced function's
  // callers) are compared too: a write there during the trace went through a captured reference
  // or pointer to a caller's variable.
  explicit static_snapshot(const void* entry_frame = nullptr);
  ~static_snapshot();
  static_snapshot(const static_snapshot&) = delete;
  static_snapshot& operator=(const static_snapshot&) = delete;
  // While the trace runs on its own stack (hazards/trace_stack.h), the caller's frames are
  // write-protected so that a write to them is named by its statement, as for static storage.
  // Call both from the trace stack.
  void protect_caller_frames();
  void unprotect_caller_frames();
  // Returns the writes since construction; modules loaded during the trace are reported as such.
  // A write that stores a pointer to one of `created` (objects the trace created, such as variable
  // states) is the create-once pattern taking effect, not a hazard, and is left out.
  std::vector<static_write> changes(const std::vector<const void*>& created = {});

 private:
  struct impl;
  impl* impl_;
};

}  // namespace tl::detail
