#include "hazards/write_locator.h"

#include <execinfo.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "core/sanitizers.h"
#include "core/settings.h"
#include "hazards/page_protections.h"

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
  pid_t thread;   // the writer
  bool by_trace;  // was the writer tracing (its own locator started)?
};
fault_record g_writes[kMaxWrites];
std::atomic<std::size_t> g_write_count{0};
std::atomic<bool> g_armed{false};
// Traces running with a locator, on any thread. The first protects the pages, the last one to stop
// gives them back; records are shared and each trace takes those of its own thread.
std::mutex g_sessions_mu;
int g_sessions = 0;
__attribute__((tls_model("initial-exec"))) thread_local bool t_tracing = false;
std::atomic<int> g_stepping_threads{0};  // threads between a located write's fault and its trap
// Sorted page addresses (static storage and frames), and for each the protection the program gave
// it: a write unprotects a page to exactly that, never to more.
const std::uintptr_t* g_pages = nullptr;
const int* g_prots = nullptr;
std::size_t g_page_count = 0;
std::uintptr_t g_frames_begin = 0, g_frames_end = 0;  // the frame pages, protected on request
std::uintptr_t g_page_size = 0;
struct sigaction g_previous_segv, g_previous_trap;
// The pages a thread made writable for its current instruction, re-protected at the trap after it:
// a store that crosses a page boundary faults on both.
constexpr int kMaxSteppingPages = 4;
struct stepping_pages {
  std::uintptr_t page[kMaxSteppingPages];
  int prot[kMaxSteppingPages];
  int count;
};
__attribute__((tls_model("initial-exec"))) thread_local stepping_pages t_stepping{};
constexpr unsigned long long kTrapFlag = 0x100;

// The index of `page` among the watched pages, or -1.
long watched(std::uintptr_t page) {
  auto* it = std::lower_bound(g_pages, g_pages + g_page_count, page);
  return it != g_pages + g_page_count && *it == page ? it - g_pages : -1;
}

int without_write(int prot) { return prot & ~PROT_WRITE; }

// Delivers a signal that is not the locator's as the kernel would have without it: to the
// program's handler in the form it was installed (SA_SIGINFO or not) with its mask (less SIGSEGV
// and SIGTRAP, see below), once under SA_RESETHAND; ignored when ignored, unless the kernel itself
// raised it for a fault (a fault cannot be ignored: the kernel forces the default action); else
// the default action.
void forward(int sig, siginfo_t* info, void* context, struct sigaction& previous) {
  bool raised_by_fault = info->si_code > 0;
  if (previous.sa_handler == SIG_IGN && !raised_by_fault) return;
  if (previous.sa_handler == SIG_IGN || previous.sa_handler == SIG_DFL) {
    struct sigaction default_action{};
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(sig, &default_action, nullptr);
    // A faulting access runs again on return and meets the default action; anything else (a sent
    // signal, a breakpoint, which does not run again) is raised again. Our handler has SA_NODEFER.
    if (!(sig == SIGSEGV && raised_by_fault)) raise(sig);
    return;
  }
  struct sigaction handler = previous;
  if (previous.sa_flags & SA_RESETHAND) {
    previous.sa_handler = SIG_DFL;
    previous.sa_flags &= ~SA_SIGINFO;
  }
  // The handler's mask, except the locator's own signals: while pages are protected, its code may
  // write one (the first call of an imported function binds a PLT slot on a protected page), and
  // a fault with SIGSEGV blocked kills the process.
  sigset_t mask = handler.sa_mask, old;
  sigdelset(&mask, SIGSEGV);
  sigdelset(&mask, SIGTRAP);
  pthread_sigmask(SIG_BLOCK, &mask, &old);
  if (handler.sa_flags & SA_SIGINFO)
    handler.sa_sigaction(sig, info, context);
  else
    handler.sa_handler(sig);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

void on_segv(int sig, siginfo_t* info, void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
  auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  std::uintptr_t page = g_page_size ? address & ~(g_page_size - 1) : 0;
  // Our protection only ever takes PROT_WRITE away: a read or an instruction fetch that faults on
  // a watched page faults because of the program's own protection.
  bool write_fault = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
  long index = info->si_code == SEGV_ACCERR && write_fault && g_page_size ? watched(page) : -1;
  if (index < 0) {
    forward(sig, info, context, g_previous_segv);
    return;
  }
  int prot = g_prots[index];
  if (!g_armed.load(std::memory_order_acquire)) {
    // Another thread wrote a watched page just before the locator stopped: the page gets its own
    // protection back (or is about to); the write is not recorded, and running it again succeeds.
    mprotect(reinterpret_cast<void*>(page), g_page_size, prot);
    return;
  }
  std::size_t i = g_write_count.fetch_add(1, std::memory_order_relaxed);
  mprotect(reinterpret_cast<void*>(page), g_page_size, prot);
  if (i >= kMaxWrites) return;
  auto& r = g_writes[i];
  r.address = address;
  r.thread = gettid();
  r.by_trace = t_tracing;
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
  auto& s = t_stepping;
  if (s.count == 0) g_stepping_threads.fetch_add(1, std::memory_order_acq_rel);
  if (s.count < kMaxSteppingPages) {
    s.page[s.count] = page;
    s.prot[s.count] = prot;
    ++s.count;
  }
  uc->uc_mcontext.gregs[REG_EFL] |= kTrapFlag;
}

void on_trap(int sig, siginfo_t* info, void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
  auto& s = t_stepping;
  if (s.count != 0) {
    uc->uc_mcontext.gregs[REG_EFL] &= ~kTrapFlag;
    if (g_armed.load(std::memory_order_acquire))
      for (int k = 0; k < s.count; ++k)
        mprotect(reinterpret_cast<void*>(s.page[k]), g_page_size, without_write(s.prot[k]));
    s.count = 0;
    g_stepping_threads.fetch_sub(1, std::memory_order_acq_rel);
    return;
  }
  forward(sig, info, context, g_previous_trap);
}

struct page_table {
  std::vector<std::uintptr_t> pages;
  std::vector<int> prots;
};
page_table& pages_in_use() {
  static auto* table = new page_table;
  return *table;
}

// Installed while a locator runs, on the alternate signal stack when the thread has one (a
// stack-overflow handler's program relies on it); the program's dispositions come back at stop().
bool ours(int sig, void (*handler)(int, siginfo_t*, void*)) {
  struct sigaction current{};
  sigaction(sig, nullptr, &current);
  return (current.sa_flags & SA_SIGINFO) && current.sa_sigaction == handler;
}

void install_handlers() {
  struct sigaction sa{};
  sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  if (!ours(SIGSEGV, on_segv)) {
    sa.sa_sigaction = on_segv;
    sigaction(SIGSEGV, &sa, &g_previous_segv);
  }
  if (!ours(SIGTRAP, on_trap)) {
    sa.sa_sigaction = on_trap;
    sigaction(SIGTRAP, &sa, &g_previous_trap);
  }
}

// Once no thread is between a located write and its trap (each single-steps one instruction), the
// handlers go: a trap must still find ours. A disposition the program set during the trace stays.
void restore_handlers() {
  while (g_stepping_threads.load(std::memory_order_acquire) != 0) sched_yield();
  if (ours(SIGSEGV, on_segv)) sigaction(SIGSEGV, &g_previous_segv, nullptr);
  if (ours(SIGTRAP, on_trap)) sigaction(SIGTRAP, &g_previous_trap, nullptr);
}

bool is_frame_page(std::uintptr_t page) { return page >= g_frames_begin && page < g_frames_end; }

// Sets each static page (not the frames) to its own protection, without write when `protect`; runs
// of neighbouring pages that share a protection take one call.
void set_static_protection(bool protect) {
  for (std::size_t i = 0; i < g_page_count;) {
    if (is_frame_page(g_pages[i])) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    while (j < g_page_count && g_pages[j] == g_pages[j - 1] + g_page_size && g_prots[j] == g_prots[i] &&
           !is_frame_page(g_pages[j]))
      ++j;
    mprotect(reinterpret_cast<void*>(g_pages[i]), (j - i) * g_page_size,
             protect ? without_write(g_prots[i]) : g_prots[i]);
    i = j;
  }
}

// Gives each watched page (frames included) back the protection it had before the trace, unless
// the program changed it meanwhile: then the program's choice stands.
void restore_protection() {
  auto now = page_protections::of_process();
  for (std::size_t i = 0; i < g_page_count; ++i) {
    int current = now.at(g_pages[i]);
    if (current == without_write(g_prots[i]) || !now.known())
      mprotect(reinterpret_cast<void*>(g_pages[i]), g_page_size, g_prots[i]);
  }
}

}  // namespace

bool write_locator::enabled() {
  if (!kSupported) return false;
  return current_settings().locate_writes;
}

void write_locator::prepare() {
  if (!enabled()) return;
  static const bool unwinder_loaded = [] {  // backtrace() dlopens libgcc_s on first use
    void* frame[1];
    return backtrace(frame, 1) >= 0;
  }();
  (void)unwinder_loaded;
}

void write_locator::start(const std::vector<range>& ranges, range frames, const page_protections& now) {
  if (!enabled() || (ranges.empty() && frames.second == 0) || !now.known()) return;
  std::lock_guard<std::mutex> lock(g_sessions_mu);
  thread_ = gettid();
  started_ = true;
  t_tracing = true;
  if (g_sessions++ > 0) {
    // Another thread's trace already protects the same modules' pages: this one joins it. Its
    // caller's frames are not watched (the table is the first trace's): their writes are still
    // found by the snapshot, without a line.
    first_record_ = g_write_count.load(std::memory_order_acquire);
    return;
  }
  owner_ = true;
  first_record_ = 0;
  g_page_size = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  g_page_count = 0;  // the list is rebuilt below: a late handler elsewhere sees it empty meanwhile
  std::vector<std::uintptr_t> candidates;
  for (const auto& [begin, size] : ranges) {
    if (size == 0) continue;
    for (std::uintptr_t p = begin & ~(g_page_size - 1); p < begin + size; p += g_page_size) candidates.push_back(p);
  }
  g_frames_begin = g_frames_end = 0;
  if (frames.second != 0) {
    g_frames_begin = frames.first & ~(g_page_size - 1);
    g_frames_end = (frames.first + frames.second + g_page_size - 1) & ~(g_page_size - 1);
    for (std::uintptr_t p = g_frames_begin; p < g_frames_end; p += g_page_size) candidates.push_back(p);
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  auto& table = pages_in_use();
  table.pages.clear();
  table.prots.clear();
  auto alternate_stack = alternate_signal_stack();
  for (auto p : candidates) {
    if (alternate_stack.holds(p)) continue;
    // Only pages the program can read and write: a guard page stays inaccessible, a read-only page
    // read-only, and writes to them remain the program's own faults.
    int prot = now.at(p);
    if (prot < 0 || (prot & (PROT_READ | PROT_WRITE)) != (PROT_READ | PROT_WRITE)) continue;
    table.pages.push_back(p);
    table.prots.push_back(prot);
  }
  g_pages = table.pages.data();
  g_prots = table.prots.data();
  g_page_count = table.pages.size();
  g_write_count.store(0, std::memory_order_relaxed);
  install_handlers();
  g_armed.store(true, std::memory_order_release);
  set_static_protection(true);
}

void write_locator::protect_frames() {
  if (!started_ || !owner_ || g_frames_end == g_frames_begin) return;
  frames_protected_ = true;
  for (std::size_t i = 0; i < g_page_count; ++i)
    if (is_frame_page(g_pages[i]))
      mprotect(reinterpret_cast<void*>(g_pages[i]), g_page_size, without_write(g_prots[i]));
}

void write_locator::unprotect_frames() {
  if (!frames_protected_) return;
  frames_protected_ = false;
  for (std::size_t i = 0; i < g_page_count; ++i)
    if (is_frame_page(g_pages[i])) mprotect(reinterpret_cast<void*>(g_pages[i]), g_page_size, g_prots[i]);
}

void write_locator::stop() {
  if (!started_) return;
  started_ = false;
  unprotect_frames();
  t_tracing = false;
  std::lock_guard<std::mutex> lock(g_sessions_mu);
  // This trace's writes: its own thread's, and those of threads that were not tracing themselves
  // (OpenMP workers the traced code started). Other traces' writes are theirs; they are kept apart
  // so that the snapshot, which sees every thread's bytes, can leave them out.
  std::size_t n = std::min(g_write_count.load(std::memory_order_acquire), kMaxWrites);
  writes_.clear();
  others_.clear();
  for (std::size_t i = first_record_; i < n; ++i) {
    const auto& r = g_writes[i];
    if (r.thread != thread_ && r.by_trace)
      others_.push_back(r.address);
    else
      writes_.push_back({r.address, std::vector<const void*>(r.stack, r.stack + r.depth)});
  }
  owner_ = false;
  if (--g_sessions > 0) return;
  g_armed.store(false, std::memory_order_release);
  restore_protection();
  restore_handlers();
  // The page list stays readable: a late fault handler on another thread may still look a page up.
}

bool write_locator::written_only_by_other_traces(std::uintptr_t begin, std::uintptr_t end) const {
  auto inside = [&](std::uintptr_t a) { return a >= begin && a < end; };
  return std::any_of(others_.begin(), others_.end(), inside) &&
         std::none_of(writes_.begin(), writes_.end(), [&](const write& w) { return inside(w.address); });
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
