#include "hazards/static_snapshot.h"

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <utility>

#include "core/code_location.h"
#include "hazards/module_table.h"
#include "hazards/page_protections.h"
#include "hazards/write_locator.h"

namespace tl::detail {

namespace {
std::uintptr_t page_size() {
  static const auto size = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  return size;
}
}  // namespace

// Copies and compares memory that AddressSanitizer may have poisoned (redzones between globals
// and between a caller's locals): the bytes are read, never used as objects.
__attribute__((no_sanitize("address", "hwaddress"))) void raw_copy(char* dst, const char* src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
}
__attribute__((no_sanitize("address", "hwaddress"))) char raw_byte(const char* p) { return *p; }

namespace {
// A copy as large as a range, backed by memory only where bytes were copied into it: the copy of a
// 2 GiB .bss of which a few pages are used costs those pages, and the rest reads as zeros.
class range_copy {
 public:
  explicit range_copy(std::size_t size) : size_(size) {
    void* m = size ? mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
                   : MAP_FAILED;
    data_ = m == MAP_FAILED ? nullptr : static_cast<char*>(m);
  }
  ~range_copy() {
    if (data_) munmap(data_, size_);
  }
  range_copy(range_copy&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(o.size_) {}
  range_copy(const range_copy&) = delete;
  range_copy& operator=(const range_copy&) = delete;
  range_copy& operator=(range_copy&&) = delete;
  char* data() const { return data_; }  // null when the mapping failed: the range is not compared
  char operator[](std::size_t i) const { return data_[i]; }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
};
}  // namespace

struct static_snapshot::impl {
  unsigned long long adds = 0, subs = 0;
  std::vector<module_info> modules;
  std::vector<range_copy> copies;  // one per range, in module order
  // Pages of .bss ranges the process had never touched when the trace started: not copied, not
  // protected; compared (with zeros) only if they are touched by the end.
  std::vector<std::uintptr_t> untouched;
  std::uintptr_t stack_lo = 0, stack_hi = 0;
  std::string stack_copy;
  write_locator locator;  // names the instruction behind each static write
  unsigned long long runtime_loads = 0;
  // Pages of the ranges the program had made unreadable (a guard page), and the thread's alternate
  // signal stack: never compared.
  std::vector<std::uintptr_t> unreadable;
};

namespace {
// Copies the readable pages of [begin, begin + size) into `out` (zeros elsewhere) and lists the others.
void copy_readable(std::uintptr_t begin, std::size_t size, const page_protections& now, char* out,
                   std::vector<std::uintptr_t>& unreadable) {
  for (std::uintptr_t p = begin; p < begin + size;) {
    std::uintptr_t next = std::min<std::uintptr_t>((p & ~(page_size() - 1)) + page_size(), begin + size);
    if (now.readable(p))
      raw_copy(out + (p - begin), reinterpret_cast<const char*>(p), next - p);
    else
      unreadable.push_back(p & ~(page_size() - 1));
    p = next;
  }
}
}  // namespace

std::uintptr_t thread_stack_top() {
  thread_local std::uintptr_t hi = [] {
    std::uintptr_t h = 0;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr = nullptr;
      std::size_t size = 0;
      if (pthread_attr_getstack(&attr, &addr, &size) == 0) h = reinterpret_cast<std::uintptr_t>(addr) + size;
      pthread_attr_destroy(&attr);
    }
    return h;
  }();
  return hi;
}

namespace {
// Caller frames are compared up to this many bytes above the entry frame: enough for the frames of
// a test or a training loop, bounded so a deep stack costs little.
constexpr std::size_t kMaxCallerFrameBytes = 1 << 20;
}  // namespace

namespace {
struct tls_search {
  std::uintptr_t above;  // only blocks above the entry frame (inside this thread's stack) matter
  std::uintptr_t low;
};

int lowest_tls(struct dl_phdr_info* info, size_t, void* data) {
  auto& s = *static_cast<tls_search*>(data);
  auto tls = reinterpret_cast<std::uintptr_t>(info->dlpi_tls_data);
  if (tls > s.above && tls < s.low) s.low = tls;
  return 0;
}

// The top of the calling thread's frames. On threads other than the main one, glibc keeps the
// thread descriptor and the static TLS blocks at the top of the stack mapping: they are written
// while tracing (thread_local state) and are not frames, so the snapshot stops below them.
std::uintptr_t frames_top(std::uintptr_t entry, std::uintptr_t stack_hi) {
  tls_search s{entry, stack_hi};
  auto self = reinterpret_cast<std::uintptr_t>(reinterpret_cast<void*>(pthread_self()));
  if (self > entry && self < s.low) s.low = self;  // the main thread's descriptor is elsewhere
  dl_iterate_phdr(lowest_tls, &s);
  return s.low;
}
}  // namespace

static_snapshot::static_snapshot(const void* entry_frame) : impl_(new impl) {
  write_locator::prepare();  // before counting modules: it may load the unwinder
  impl_->runtime_loads = modules_loaded_by_runtime();
  impl_->modules = current_modules(impl_->adds, impl_->subs);
  auto protections = page_protections::of_process();
  std::vector<write_locator::range> watched;
  for (const auto& m : impl_->modules)
    for (const auto& r : m.ranges) {
      impl_->copies.emplace_back(r.size);
      char* copy = impl_->copies.back().data();
      if (!copy) continue;
      if (!r.zero_filled) {
        copy_readable(r.begin, r.size, protections, copy, impl_->unreadable);
        watched.emplace_back(r.begin, r.size);
        continue;
      }
      // Only the pages the process has touched are copied and watched: the cost of a sparse arena
      // is what the program uses of it, not its size.
      std::uintptr_t first = r.begin & ~(page_size() - 1);
      auto touched = touched_pages(first, (r.begin + r.size - first + page_size() - 1) / page_size());
      for (std::size_t p = 0; p < touched.size(); ++p) {
        std::uintptr_t page = first + p * page_size();
        if (!touched[p]) {
          impl_->untouched.push_back(page);
          continue;
        }
        std::uintptr_t b = std::max(page, r.begin), e = std::min(page + page_size(), r.begin + r.size);
        copy_readable(b, e - b, protections, copy + (b - r.begin), impl_->unreadable);
        if (!watched.empty() && watched.back().first + watched.back().second == b)
          watched.back().second += e - b;
        else
          watched.emplace_back(b, e - b);
      }
    }
  std::sort(impl_->untouched.begin(), impl_->untouched.end());
  auto alternate_stack = alternate_signal_stack();
  for (auto p = alternate_stack.begin; p < alternate_stack.end; p += page_size()) impl_->unreadable.push_back(p);
  std::sort(impl_->unreadable.begin(), impl_->unreadable.end());
  auto lo = reinterpret_cast<std::uintptr_t>(entry_frame);
  auto hi = entry_frame ? frames_top(lo, thread_stack_top()) : 0;
  if (entry_frame && hi > lo) {
    impl_->stack_lo = lo;
    impl_->stack_hi = std::min(hi, lo + kMaxCallerFrameBytes);
    impl_->stack_copy.resize(impl_->stack_hi - lo);
    raw_copy(impl_->stack_copy.data(), reinterpret_cast<const char*>(lo), impl_->stack_copy.size());
  }
  impl_->locator.start(watched, {impl_->stack_lo, impl_->stack_hi - impl_->stack_lo}, protections);
}

void static_snapshot::protect_caller_frames() { impl_->locator.protect_frames(); }
void static_snapshot::unprotect_caller_frames() { impl_->locator.unprotect_frames(); }

static_snapshot::~static_snapshot() { delete impl_; }

namespace {
bool is_created(const void* value, const std::vector<const void*>& created) {
  return std::find(created.begin(), created.end(), value) != created.end();
}

// Reads up to `n` bytes at `addr` without faulting: an arbitrary word may look like a pointer and
// point nowhere. Returns how many bytes were readable.
std::size_t read_without_faulting(const void* addr, char* out, std::size_t n) {
  iovec local{out, n};
  iovec remote{const_cast<void*>(addr), n};
  ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
  return got > 0 ? static_cast<std::size_t>(got) : 0;
}

// Does [begin, end) hold, at an 8-byte boundary, a pointer to one of `created`, directly (a
// variable handle) or in the first bytes of the object a word points to (a std::vector of
// variables, a std::unique_ptr to a layer holding variables, an optimizer's slot vectors inside a
// std::optional)? Such a write is a create-once guard taking the state made on the first trace.
// `readable` (asked once per page) leaves out pages that cannot or need not be read: a guard page
// inside a large object, a page of a sparse arena nobody touched.
bool holds_pointer_to(std::uintptr_t begin, std::uintptr_t end, const std::vector<const void*>& created,
                      const std::function<bool(std::uintptr_t)>& readable = {}) {
  if (created.empty()) return false;
  constexpr std::size_t kPointeeBytes = 512;
  char pointee[kPointeeBytes];
  for (std::uintptr_t p = (begin + 7) & ~std::uintptr_t{7}; p + 8 <= end; p += 8) {
    if (readable && (p == ((begin + 7) & ~std::uintptr_t{7}) || p % page_size() == 0) && !readable(p)) {
      p = ((p & ~(page_size() - 1)) + page_size()) - 8;
      continue;
    }
    const void* value;
    raw_copy(reinterpret_cast<char*>(&value), reinterpret_cast<const char*>(p), sizeof value);
    if (is_created(value, created)) return true;
    if (!value || reinterpret_cast<std::uintptr_t>(value) % 8 != 0) continue;
    std::size_t got = read_without_faulting(value, pointee, kPointeeBytes);
    for (std::size_t q = 0; q + 8 <= got; q += 8) {
      const void* inner;
      std::memcpy(&inner, pointee + q, sizeof inner);
      if (is_created(inner, created)) return true;
    }
  }
  return false;
}

}  // namespace

bool holds_pointer(std::uintptr_t begin, std::uintptr_t end, const void* target) {
  auto protections = page_protections::of_process();
  return holds_pointer_to(begin, end, {target}, [&](std::uintptr_t a) { return protections.readable(a); });
}

namespace {
// Does the aligned word at `addr` point into a loaded module (a vtable, as an object's first word)?
bool starts_with_module_pointer(std::uintptr_t addr) {
  if (addr % 8 != 0) return false;
  const void* value;
  raw_copy(reinterpret_cast<char*>(&value), reinterpret_cast<const char*>(addr), sizeof value);
  Dl_info info{};
  return value && dladdr(value, &info) != 0 && info.dli_fbase != nullptr;
}
}  // namespace

std::vector<static_write> static_snapshot::changes(const std::vector<const void*>& created) {
  impl_->locator.stop();
  std::vector<static_write> out;
  auto c = module_load_counts();
  if (c.second != impl_->subs) {
    // A module was unloaded during the trace: its ranges may be gone, so compare nothing.
    out.push_back({"", "<module unloaded during trace>", "", 0, 0, false});
    return out;
  }
  // Modules the runtime loaded for itself (the symbolizer, on an error inside the trace) ran no user code.
  if (c.first != impl_->adds + (modules_loaded_by_runtime() - impl_->runtime_loads))
    out.push_back({"", "<module loaded during trace: its constructors ran while tracing>", "", 0, 0, false});
  auto protections = page_protections::of_process();
  // Pages untouched at the start that are still untouched hold zeros as they did: skipped unread.
  std::vector<std::uintptr_t> still_untouched;
  for (std::size_t b = 0; b < impl_->untouched.size();) {
    std::size_t e = b + 1;
    while (e < impl_->untouched.size() && impl_->untouched[e] == impl_->untouched[e - 1] + page_size()) ++e;
    auto touched = touched_pages(impl_->untouched[b], e - b);
    for (std::size_t i = b; i < e; ++i)
      if (!touched[i - b]) still_untouched.push_back(impl_->untouched[i]);
    b = e;
  }
  // A page unreadable at either end of the trace is skipped: it cannot be read now, or it was not copied.
  auto comparable = [&](std::uintptr_t a) {
    auto page = a & ~(page_size() - 1);
    return protections.readable(a) && !std::binary_search(impl_->unreadable.begin(), impl_->unreadable.end(), page) &&
           !std::binary_search(still_untouched.begin(), still_untouched.end(), page);
  };
  std::size_t k = 0;
  for (const auto& m : impl_->modules) {
    std::map<std::string, static_write> by_symbol;
    std::map<std::string, bool> guards;  // object name -> its guard changed
    for (const auto& r : m.ranges) {
      const range_copy& before = impl_->copies[k++];
      if (!before.data()) continue;
      const char* now = reinterpret_cast<const char*>(r.begin);
      std::uintptr_t checked_page = 0;
      for (std::size_t i = 0; i < r.size;) {
        std::uintptr_t page = (r.begin + i) & ~(page_size() - 1);
        if (page != checked_page) {
          if (!comparable(page)) {
            i = std::min<std::size_t>(r.size, page + page_size() - r.begin);
            continue;
          }
          checked_page = page;
        }
        // Word-wise skip of unchanged memory; bytes only around differences.
        if (before[i] == raw_byte(now + i)) {
          ++i;
          continue;
        }
        std::uint64_t vaddr = r.begin + i - m.bias;
        auto it = std::upper_bound(m.symbols.begin(), m.symbols.end(), vaddr,
                                   [](std::uint64_t v, const symbol& s) { return v < s.value; });
        std::string name;
        std::uint64_t sym_end = vaddr + 1;
        bool library_object = false;
        if (it != m.symbols.begin() && vaddr < std::prev(it)->value + std::prev(it)->size) {
          name = demangle(std::prev(it)->name);
          sym_end = std::prev(it)->value + std::prev(it)->size;
          library_object = std::prev(it)->library_copy;
        } else {
          char buf[64];
          std::snprintf(buf, sizeof buf, "+0x%llx", static_cast<unsigned long long>(vaddr));
          name = "<no symbol> " + m.name + r.section + buf;
        }
        // The runtime's own state compiled into the user's module (inline variables of tl headers),
        // instrumentation data of sanitizers and coverage, which changes on its own, and a skipped
        // library's object copied into the module (glibc's __libc_single_threaded, std::cout).
        if (library_object || name.rfind("tl::", 0) == 0 || name.rfind("guard variable for tl::", 0) == 0 ||
            is_instrumentation(name)) {
          i = std::max(i + 1, static_cast<std::size_t>(sym_end + m.bias - r.begin));
          continue;
        }
        if (name.rfind("guard variable for ", 0) == 0) {
          guards[name.substr(19)] = true;
        } else {
          auto& w = by_symbol[name];
          if (w.symbol.empty()) w = {m.name, name, r.section, vaddr, 0, false};
          ++w.bytes_changed;
        }
        ++i;
      }
    }
    for (auto& [name, w] : by_symbol) {
      w.first_initialization = guards.count(name) != 0;
      auto it = std::upper_bound(m.symbols.begin(), m.symbols.end(), w.vaddr,
                                 [](std::uint64_t v, const symbol& s) { return v < s.value; });
      w.writer = impl_->locator.writer_of(m.bias + w.vaddr, m.bias + w.vaddr + 1);
      w.address = m.bias + w.vaddr;
      w.size = 1;
      if (it != m.symbols.begin()) {
        const auto& sym = *std::prev(it);
        w.address = m.bias + sym.value;
        w.size = sym.size;
        // The first write anywhere in the symbol: an 8-byte store may change only its later bytes.
        if (auto first = impl_->locator.writer_of(m.bias + sym.value, m.bias + sym.value + sym.size); !first.empty())
          w.writer = std::move(first);
        if (holds_pointer_to(m.bias + sym.value, m.bias + sym.value + sym.size, created, comparable)) continue;
        // Another thread's concurrent trace made this write: it is that trace's hazard, not this one's.
        if (impl_->locator.written_only_by_other_traces(m.bias + sym.value, m.bias + sym.value + sym.size)) continue;
        // A one-byte flag set (false -> true) by the trace that created state is its create-once
        // guard (`built = true`): replays skipping it change nothing.
        if (!created.empty() && sym.size == 1 && raw_byte(reinterpret_cast<const char*>(m.bias + sym.value)) == 1)
          continue;
      }
      out.push_back(w);
    }
  }
  // Caller frames: runs of changed bytes, one write each (no symbols exist for stack variables).
  struct run {
    std::size_t start, last;
    bool create_once;
    bool object_header;  // begins with a pointer into a loaded module: a vtable pointer
  };
  std::vector<run> runs;
  const char* now = reinterpret_cast<const char*>(impl_->stack_lo);
  for (std::size_t i = 0; i < impl_->stack_copy.size();) {
    if (impl_->stack_copy[i] == raw_byte(now + i)) {
      ++i;
      continue;
    }
    std::size_t start = i, last = i;
    while (i < impl_->stack_copy.size() && i - last < 8) {
      if (impl_->stack_copy[i] != raw_byte(now + i)) last = i;
      ++i;
    }
    // Widen to whole words: a handle's pointer may have changed in only some of its bytes.
    bool create_once =
        holds_pointer_to((impl_->stack_lo + start) & ~std::uintptr_t{7}, impl_->stack_lo + last + 8, created);
    runs.push_back({start, last, create_once, starts_with_module_pointer(impl_->stack_lo + start)});
  }
  // The flag of a holder (std::optional's engaged byte) sits right after the object it holds; the
  // vtable pointer of an object constructed in place (optional::emplace) sits before members that
  // did not change (an empty comparator, a tree's color), so it may be further away.
  constexpr std::size_t kHolderSlack = 16, kHeaderSlack = 64;
  for (std::size_t k = 1; k < runs.size(); ++k)
    if (runs[k - 1].create_once && runs[k].start - runs[k - 1].last <= kHolderSlack) runs[k].create_once = true;
  for (std::size_t k = runs.size(); k-- > 1;) {
    std::size_t slack = runs[k - 1].object_header ? kHeaderSlack : kHolderSlack;
    if (runs[k].create_once && runs[k].start - runs[k - 1].last <= slack) runs[k - 1].create_once = true;
  }
  // Each run is split where the statement that wrote it changes (two members of one object written
  // by two statements are two hazards), and neighbouring pieces written by one statement are one
  // (optional::emplace writes a vtable pointer, members and the engaged flag).
  struct piece {
    std::uintptr_t begin, end;
    std::vector<const void*> writer;
    std::string statement;
  };
  std::vector<piece> pieces;
  constexpr std::size_t kSameObjectGap = 64;
  for (const auto& r : runs) {
    if (r.create_once) continue;
    std::uintptr_t begin = (impl_->stack_lo + r.start) & ~std::uintptr_t{7}, end = impl_->stack_lo + r.last + 1;
    std::vector<piece> parts;
    for (auto& [address, stack] : impl_->locator.writes_in(begin, end)) {
      std::string statement = code_location_of_stack(stack.data(), static_cast<int>(stack.size()));
      if (!parts.empty() && parts.back().statement == statement) continue;
      if (!parts.empty()) parts.back().end = std::max(address, parts.back().begin + 1);
      parts.push_back(
          {parts.empty() ? begin : std::max(address, parts.back().end), end, std::move(stack), std::move(statement)});
    }
    if (parts.empty()) parts.push_back({begin, end, {}, ""});
    for (auto& p : parts) {
      if (!pieces.empty() && !p.statement.empty() && pieces.back().statement == p.statement &&
          p.begin - pieces.back().end <= kSameObjectGap) {
        pieces.back().end = p.end;
        continue;
      }
      pieces.push_back(std::move(p));
    }
  }
  for (const auto& p : pieces) {
    static_write w;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%zu", static_cast<std::size_t>(p.begin - impl_->stack_lo));
    w.symbol = std::string("a variable of a caller's frame (") + buf + " bytes above the runtime's entry frame)";
    w.section = "stack";
    w.vaddr = p.begin;
    w.bytes_changed = p.end - p.begin;
    w.caller_frame = true;
    w.address = p.begin;
    w.size = p.end - p.begin;
    w.writer = p.writer;
    out.push_back(w);
  }
  return out;
}

}  // namespace tl::detail
