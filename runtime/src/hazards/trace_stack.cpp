#include "hazards/trace_stack.h"

#include <fenv.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <utility>

#include "core/sanitizers.h"

namespace tl::detail {

namespace {

#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
// Sanitizers track each stack's bounds; an unannounced switch confuses their reports.
constexpr bool kSupported = !kAddressSanitizer && !kThreadSanitizer;
#else
constexpr bool kSupported = false;
#endif

// The main thread's stack may grow to RLIMIT_STACK; unlimited gets this much (address space only:
// the mapping is MAP_NORESERVE, and only the pages a trace touches are ever backed).
constexpr std::size_t kUnlimitedSize = std::size_t{1} << 30;
constexpr std::size_t kMinimumSize = std::size_t{1} << 20;

// As large as the calling thread's own stack, so that recursion that works unchecked works
// checked: a thread made with a 64 MiB stack gets 64 MiB, the main thread its stack limit.
std::size_t stack_size() {
  std::size_t size = 0;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstacksize(&attr, &size);
    pthread_attr_destroy(&attr);
  }
  if (getpid() == static_cast<pid_t>(gettid())) {
    rlimit limit{};
    if (getrlimit(RLIMIT_STACK, &limit) == 0)
      size = std::max<std::size_t>(size, limit.rlim_cur == RLIM_INFINITY ? kUnlimitedSize : limit.rlim_cur);
  }
  size = std::max(size, kMinimumSize);
  auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return (size + page - 1) / page * page;
}

struct trace_stack {
  char* mapping = nullptr;  // a guard page, then the stack
  std::size_t mapped = 0;
  ucontext_t caller{}, callee{};
  const std::function<void()>* body = nullptr;
  std::exception_ptr error;
  fenv_t fp_env{};  // the trace's floating-point environment when it ended
  bool running = false;

  bool allocate() {
    if (mapping) return true;
    auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    std::size_t size = stack_size();
    void* m = mmap(nullptr, size + page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (m == MAP_FAILED) return false;
    mapping = static_cast<char*>(m);
    mapped = size + page;
    // An overflow hits the guard page, as on any thread's stack, instead of the heap below.
    mprotect(mapping, page, PROT_NONE);
    return true;
  }
  ~trace_stack() {
    if (mapping) munmap(mapping, mapped);
  }
};

thread_local trace_stack t_stack;

void trampoline() {
  trace_stack& s = t_stack;
  try {
    (*s.body)();
  } catch (...) {
    // Unwinding cannot cross back to the caller's stack: carry the exception over.
    s.error = std::current_exception();
  }
  // Returning resumes uc_link, the caller's context, which would bring back the signal mask and
  // floating-point environment the caller had when the trace started. What the traced code set
  // (a library blocking SIGPIPE, a rounding mode, flush-to-zero) must outlive the call as it would
  // on the caller's stack: the mask goes into the context resumed, so no signal slips through in
  // between, and the floating-point environment is set again after the switch.
  pthread_sigmask(SIG_BLOCK, nullptr, &s.caller.uc_sigmask);
  fegetenv(&s.fp_env);
}

}  // namespace

bool on_trace_stack() { return t_stack.running; }

bool run_on_trace_stack(const std::function<void()>& body) {
  trace_stack& s = t_stack;
  if (!kSupported || s.running || !s.allocate()) {
    body();
    return false;
  }
  auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  if (getcontext(&s.callee) != 0) {
    body();
    return false;
  }
  s.callee.uc_stack.ss_sp = s.mapping + page;
  s.callee.uc_stack.ss_size = s.mapped - page;
  s.callee.uc_link = &s.caller;
  makecontext(&s.callee, trampoline, 0);
  s.body = &body;
  s.error = nullptr;
  s.running = true;
  int switched = swapcontext(&s.caller, &s.callee);
  s.running = false;
  s.body = nullptr;
  if (switched != 0) {
    body();
    return false;
  }
  fesetenv(&s.fp_env);
  if (s.error) std::rethrow_exception(std::exchange(s.error, nullptr));
  return true;
}

}  // namespace tl::detail
