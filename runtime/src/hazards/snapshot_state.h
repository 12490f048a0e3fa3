#pragma once
// What a static snapshot keeps between its start and its comparison, shared by the comparison
// (static_snapshot.cpp) and the undo of verify mode's retrace (snapshot_undo.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "hazards/module_table.h"
#include "hazards/static_snapshot.h"
#include "hazards/write_locator.h"

namespace tl::detail {

struct static_snapshot::impl {
  unsigned long long adds = 0, subs = 0;
  std::vector<module_info> modules;
  std::vector<std::string> copies;  // one per range, in module order
  std::uintptr_t stack_lo = 0, stack_hi = 0;
  std::string stack_copy;
  write_locator locator;  // names the instruction behind each static write
  unsigned long long runtime_loads = 0;
  // Pages of the ranges the program had made unreadable (a guard page), and the thread's alternate
  // signal stack: never compared.
  std::vector<std::uintptr_t> unreadable;
};

// Copies and compares memory that AddressSanitizer may have poisoned (redzones between globals
// and between a caller's locals): the bytes are read, never used as objects.
void raw_copy(char* dst, const char* src, std::size_t n);
char raw_byte(const char* p);
std::uintptr_t page_size();

}  // namespace tl::detail
