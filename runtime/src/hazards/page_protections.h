#pragma once
// The protection of each mapped page as the kernel lists it (/proc/self/maps). The snapshot must
// not read a page the program made unreadable, and the write locator must give each page back the
// protection the program chose (a guard page, a read-only table, code in a data page).
#include <cstdint>
#include <vector>

namespace tl::detail {

class page_protections {
 public:
  // The calling process's mappings now; empty when /proc/self/maps cannot be read.
  static page_protections of_process();
  bool known() const { return !regions_.empty(); }
  // PROT_READ/PROT_WRITE/PROT_EXEC of the mapping holding `address`; -1 when nothing maps it.
  int at(std::uintptr_t address) const;
  bool readable(std::uintptr_t address) const;

 private:
  struct region {
    std::uintptr_t begin, end;
    int prot;
  };
  std::vector<region> regions_;  // by address, as the kernel lists them
};

// For each of `count` pages from `first_page`: has the process ever had it in memory or swap
// (/proc/self/pagemap bits 63 and 62)? An anonymous page that never was holds zeros and costs
// nothing; copying it would. All true when pagemap cannot be read.
std::vector<bool> touched_pages(std::uintptr_t first_page, std::size_t count);

// The pages of the calling thread's alternate signal stack ({0, 0} without one). Signal frames are
// written there, by the kernel too, so they are neither write-protected nor compared: a protected
// alternate stack kills the process at the first signal it should take.
struct page_span {
  std::uintptr_t begin = 0, end = 0;
  bool holds(std::uintptr_t a) const { return a >= begin && a < end; }
};
page_span alternate_signal_stack();

}  // namespace tl::detail
