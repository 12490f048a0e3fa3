#include "hazards/write_locator.h"

#include <execinfo.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>

#include "core/sanitizers.h"

namespace tl::detail {

namespace {

#if defined(__x86_64__) && defined(__linux__)
constexpr bool kSupported = !kAddressSanitizer && !kThreadSanitizer;
#else
constexpr bool kSupported = false;
#endif

// State the signal handlers read: set up before the pages are protected, torn down after they are
// writable again, so a handler never sees it change. Fixed-size, no allocation in a handler.
constexpr std::size_t kMaxWrites = 4096;  // beyond this, faulted pages stay writable: bounded cost
constexpr int kStackDepth = 8;            // the writing instruction and its callers: enough to leave a library
struct fault_record {
  std::uintptr_t address;
  void* stack[kStackDepth];
  int depth;
};
fault_record g_writes[kMaxWrites];
std::atomic<std::size_t> g_write_count{0};
std::atomic<bool> g_armed{false};
std::atomic<bool> g_busy{false};
const std::uintptr_t* g_pages = nullptr;  // sorted page addresses, static storage and frames
std::size_t g_page_count = 0;
std::uintptr_t g_frames_begin = 0, g_frames_end = 0;  // the frame pages, protected on request
std::uintptr_t g_page_size = 0;
struct sigaction g_previous_segv, g_previous_trap;
// The page a thread made writable for its current instruction; re-protected at the trap after it.
__attribute__((tls_model("initial-exec"))) thread_local std::uintptr_t t_stepping_page = 0;
constexpr unsigned long long kTrapFlag = 0x100;

bool watched(std::uintptr_t page) { return std::binary_search(g_pages, g_pages + g_page_count, page); }

void forward(int sig, siginfo_t* info, void* context, const struct sigaction& previous) {
  if ((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction) {
    previous.sa_sigaction(sig, info, context);
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
    previous.sa_handler(sig);
  } else {
    // Not ours: the default action happens when the faulting instruction runs again.
    signal(sig, SIG_DFL);
  }
}

void on_segv(int sig, siginfo_t* info, void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
  auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  std::uintptr_t page = g_page_size ? address & ~(g_page_size - 1) : 0;
  if (info->si_code == SEGV_ACCERR && g_page_size && !g_armed.load(std::memory_order_acquire) && watched(page)) {
    // Another thread wrote a watched page just before the locator stopped: the page is writable
    // again (or about to be); the write is not recorded, and running it again succeeds.
    mprotect(reinterpret_cast<void*>(page), g_page_size, PROT_READ | PROT_WRITE);
    return;
  }
  if (g_armed.load(std::memory_order_acquire) && info->si_code == SEGV_ACCERR && watched(page)) {
    std::size_t i = g_write_count.fetch_add(1, std::memory_order_relaxed);
    mprotect(reinterpret_cast<void*>(page), g_page_size, PROT_READ | PROT_WRITE);
    if (i < kMaxWrites) {
      auto& r = g_writes[i];
      r.address = address;
      auto* pc = reinterpret_cast<void*>(uc->uc_mcontext.gregs[REG_RIP]);
      r.stack[0] = pc;
      r.depth = 1;
      // The unwinder crosses the signal frame: the faulting instruction, then its callers. Its
      // library was loaded in start(), so nothing here allocates.
      void* trace[kStackDepth + 8];
      int n = backtrace(trace, kStackDepth + 8);
      for (int k = 0; k < n; ++k) {
        if (trace[k] != pc) continue;
        for (int j = k + 1; j < n && r.depth < kStackDepth; ++j) r.stack[r.depth++] = trace[j];
        break;
      }
      t_stepping_page = page;
      uc->uc_mcontext.gregs[REG_EFL] |= kTrapFlag;
    }
    return;
  }
  forward(sig, info, context, g_previous_segv);
}

void on_trap(int sig, siginfo_t* info, void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
  if (t_stepping_page != 0) {
    uc->uc_mcontext.gregs[REG_EFL] &= ~kTrapFlag;
    if (g_armed.load(std::memory_order_acquire))
      mprotect(reinterpret_cast<void*>(t_stepping_page), g_page_size, PROT_READ);
    t_stepping_page = 0;
    return;
  }
  forward(sig, info, context, g_previous_trap);
}

std::vector<std::uintptr_t>& page_list() {
  static auto* pages = new std::vector<std::uintptr_t>;
  return *pages;
}

// The handlers stay installed once installed: a thread that faulted on a watched page may still be
// single-stepping when the locator stops, and its trap must find our handler, not the default
// action (which kills the process). They are installed again only when someone replaced them.
void install_handlers() {
  struct sigaction current{};
  sigaction(SIGSEGV, nullptr, &current);
  bool segv_ours = (current.sa_flags & SA_SIGINFO) && current.sa_sigaction == on_segv;
  sigaction(SIGTRAP, nullptr, &current);
  bool trap_ours = (current.sa_flags & SA_SIGINFO) && current.sa_sigaction == on_trap;
  struct sigaction sa{};
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  if (!segv_ours) {
    sa.sa_sigaction = on_segv;
    sigaction(SIGSEGV, &sa, &g_previous_segv);
  }
  if (!trap_ours) {
    sa.sa_sigaction = on_trap;
    sigaction(SIGTRAP, &sa, &g_previous_trap);
  }
}

bool is_frame_page(std::uintptr_t page) { return page >= g_frames_begin && page < g_frames_end; }

void set_static_protection(int prot) {
  for (std::size_t i = 0; i < g_page_count; ++i)
    if (!is_frame_page(g_pages[i])) mprotect(reinterpret_cast<void*>(g_pages[i]), g_page_size, prot);
}

}  // namespace

bool write_locator::enabled() {
  if (!kSupported) return false;
  static const bool on = [] {
    const char* v = std::getenv("TL_LOCATE_WRITES");
    return !(v && std::strcmp(v, "0") == 0);
  }();
  return on;
}

void write_locator::prepare() {
  if (!enabled()) return;
  static const bool unwinder_loaded = [] {  // backtrace() dlopens libgcc_s on first use
    void* frame[1];
    return backtrace(frame, 1) >= 0;
  }();
  (void)unwinder_loaded;
}

void write_locator::start(const std::vector<range>& ranges, range frames) {
  if (!enabled() || (ranges.empty() && frames.second == 0)) return;
  bool expected = false;
  if (!g_busy.compare_exchange_strong(expected, true)) return;  // one locator at a time
  g_page_size = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  g_page_count = 0;  // the list is rebuilt below: a late handler elsewhere sees it empty meanwhile
  auto& pages = page_list();
  pages.clear();
  for (const auto& [begin, size] : ranges) {
    if (size == 0) continue;
    // Every page holding a byte of these sections is writable: ld.so leaves the page where RELRO
    // ends writable, so rounding outward never touches a read-only page.
    for (std::uintptr_t p = begin & ~(g_page_size - 1); p < begin + size; p += g_page_size) pages.push_back(p);
  }
  g_frames_begin = g_frames_end = 0;
  if (frames.second != 0) {
    g_frames_begin = frames.first & ~(g_page_size - 1);
    g_frames_end = (frames.first + frames.second + g_page_size - 1) & ~(g_page_size - 1);
    for (std::uintptr_t p = g_frames_begin; p < g_frames_end; p += g_page_size) pages.push_back(p);
  }
  std::sort(pages.begin(), pages.end());
  pages.erase(std::unique(pages.begin(), pages.end()), pages.end());
  g_pages = pages.data();
  g_page_count = pages.size();
  g_write_count.store(0, std::memory_order_relaxed);
  install_handlers();
  g_armed.store(true, std::memory_order_release);
  set_static_protection(PROT_READ);
  started_ = true;
}

void write_locator::protect_frames() {
  if (!started_ || g_frames_end == g_frames_begin) return;
  frames_protected_ = mprotect(reinterpret_cast<void*>(g_frames_begin), g_frames_end - g_frames_begin, PROT_READ) == 0;
}

void write_locator::unprotect_frames() {
  if (!frames_protected_) return;
  frames_protected_ = false;
  mprotect(reinterpret_cast<void*>(g_frames_begin), g_frames_end - g_frames_begin, PROT_READ | PROT_WRITE);
}

void write_locator::stop() {
  if (!started_) return;
  started_ = false;
  unprotect_frames();
  g_armed.store(false, std::memory_order_release);
  set_static_protection(PROT_READ | PROT_WRITE);
  std::size_t n = std::min(g_write_count.load(std::memory_order_relaxed), kMaxWrites);
  writes_.clear();
  for (std::size_t i = 0; i < n; ++i)
    writes_.push_back(
        {g_writes[i].address, std::vector<const void*>(g_writes[i].stack, g_writes[i].stack + g_writes[i].depth)});
  // The page list stays readable: a late fault handler on another thread may still look a page up.
  g_busy.store(false, std::memory_order_release);
}

std::vector<const void*> write_locator::writer_of(std::uintptr_t begin, std::uintptr_t end) const {
  for (const auto& w : writes_)
    if (w.address >= begin && w.address < end) return w.stack;
  return {};
}

std::vector<std::pair<std::uintptr_t, std::vector<const void*>>> write_locator::writes_in(std::uintptr_t begin,
                                                                                          std::uintptr_t end) const {
  std::map<std::uintptr_t, std::vector<const void*>> first;
  for (const auto& w : writes_)
    if (w.address >= begin && w.address < end) first.emplace(w.address, w.stack);
  return {first.begin(), first.end()};
}

}  // namespace tl::detail
