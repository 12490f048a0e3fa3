#include "hazards/page_protections.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace tl::detail {

page_protections page_protections::of_process() {
  page_protections out;
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  std::string text;
  char buf[16384];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  close(fd);
  // Each line: "begin-end rwxp offset dev inode path", addresses in hex.
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const char* p = text.c_str() + pos;
    char* end = nullptr;
    auto b = std::strtoull(p, &end, 16);
    if (end && *end == '-') {
      auto e = std::strtoull(end + 1, &end, 16);
      if (end && *end == ' ' && end + 4 < text.c_str() + eol) {
        int prot = (end[1] == 'r' ? PROT_READ : 0) | (end[2] == 'w' ? PROT_WRITE : 0) | (end[3] == 'x' ? PROT_EXEC : 0);
        out.regions_.push_back({static_cast<std::uintptr_t>(b), static_cast<std::uintptr_t>(e), prot});
      }
    }
    pos = eol + 1;
  }
  return out;
}

int page_protections::at(std::uintptr_t address) const {
  auto it = std::upper_bound(regions_.begin(), regions_.end(), address,
                             [](std::uintptr_t a, const region& r) { return a < r.begin; });
  if (it == regions_.begin()) return -1;
  --it;
  return address < it->end ? it->prot : -1;
}

bool page_protections::readable(std::uintptr_t address) const {
  int prot = at(address);
  return prot >= 0 && (prot & PROT_READ);
}

std::vector<bool> touched_pages(std::uintptr_t first_page, std::size_t count) {
  std::vector<bool> out(count, true);
  int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  std::vector<std::uint64_t> entries(std::min<std::size_t>(count, 1 << 16));
  for (std::size_t done = 0; done < count;) {
    std::size_t n = std::min(count - done, entries.size());
    auto offset = static_cast<off_t>((first_page / page + done) * sizeof(std::uint64_t));
    ssize_t got = pread(fd, entries.data(), n * sizeof(std::uint64_t), offset);
    if (got <= 0) break;
    std::size_t read = static_cast<std::size_t>(got) / sizeof(std::uint64_t);
    for (std::size_t i = 0; i < read; ++i) out[done + i] = (entries[i] >> 62) != 0;  // present or swapped
    done += read;
  }
  close(fd);
  return out;
}

page_span alternate_signal_stack() {
  stack_t ss{};
  if (sigaltstack(nullptr, &ss) != 0 || (ss.ss_flags & SS_DISABLE) || !ss.ss_sp || ss.ss_size == 0) return {};
  auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  auto b = reinterpret_cast<std::uintptr_t>(ss.ss_sp);
  return {b & ~(page - 1), (b + ss.ss_size + page - 1) & ~(page - 1)};
}

}  // namespace tl::detail
