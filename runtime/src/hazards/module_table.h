#pragma once
// The user's loaded modules, as a static snapshot sees them: which of their bytes can change
// (writable, allocated, non-TLS sections minus the dynamic linker's tables and RELRO), and the
// object symbols that name them. Rebuilt only when modules are loaded or unloaded.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tl::detail {

struct symbol {
  std::uint64_t value, size;
  std::string name;  // mangled
  // An object of a library the snapshot skips, placed in this module by a COPY relocation (a g++
  // PIE holds glibc's __libc_single_threaded and libstdc++'s std::cout so): the library's state,
  // not the program's. A selected module that defines the object makes it the program's again.
  bool library_copy = false;
};

struct range {
  std::uintptr_t begin;  // absolute address
  std::size_t size;
  std::string section;
  bool zero_filled = false;  // SHT_NOBITS (.bss): a page never touched holds zeros
};

struct module_info {
  std::string path, name;
  std::uintptr_t bias = 0;
  std::vector<range> ranges;
  std::vector<symbol> symbols;  // sorted by value
};

// The selected modules now (the runtime's own, system libraries and TL_SNAPSHOT_EXCLUDE left out),
// with the process's module load and unload counts they were read at.
std::vector<module_info> current_modules(unsigned long long& adds, unsigned long long& subs);
// The process's module load and unload counts (dl_phdr_info's dlpi_adds, dlpi_subs).
std::pair<unsigned long long, unsigned long long> module_load_counts();
// Demangles Itanium names (_Z...) only, without a version suffix (@GLIBCXX_3.4).
std::string demangle(const std::string& mangled);
// Sanitizer and coverage data, which changes on its own.
bool is_instrumentation(const std::string& name);

}  // namespace tl::detail
