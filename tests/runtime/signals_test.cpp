// The write locator handles SIGSEGV and SIGTRAP while a checked trace runs
// (runtime/src/hazards/write_locator.h). The program's own dispositions must be what it finds
// after the trace, and the signals that are not the locator's must reach them as the kernel would
// deliver them.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <tl/tl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "sanitized.h"

namespace {

using tl_test::kSanitized;

int g_signal_test_writes = 0;

void trace_writing_a_global(const char* name) {
  tl::scoped_check_mode mode(tl::check_mode::warn);
  auto f = tl::function(
      [](const tl::tensor& x) {
        ++g_signal_test_writes;
        return x;
      },
      {.name = name});
  f(tl::ones({1}));
}

void program_segv_handler(int, siginfo_t*, void*) { std::_Exit(42); }

// Puts the dispositions of SIGSEGV and SIGTRAP back as they were before the test.
struct dispositions_reset {
  struct sigaction segv{}, trap{};
  dispositions_reset() {
    sigaction(SIGSEGV, nullptr, &segv);
    sigaction(SIGTRAP, nullptr, &trap);
  }
  ~dispositions_reset() {
    sigaction(SIGSEGV, &segv, nullptr);
    sigaction(SIGTRAP, &trap, nullptr);
  }
};

TEST(Signals, TheProgramsDispositionsAreExactlyWhatItFindsAfterATrace) {
  dispositions_reset reset;
  struct sigaction mine{};
  mine.sa_sigaction = program_segv_handler;
  mine.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
  sigemptyset(&mine.sa_mask);
  sigaddset(&mine.sa_mask, SIGUSR1);
  ASSERT_EQ(sigaction(SIGSEGV, &mine, nullptr), 0);
  ASSERT_NE(signal(SIGTRAP, SIG_IGN), SIG_ERR);
  struct sigaction before{};
  sigaction(SIGSEGV, nullptr, &before);
  trace_writing_a_global("dispositions");
  struct sigaction segv{}, trap{};
  sigaction(SIGSEGV, nullptr, &segv);
  sigaction(SIGTRAP, nullptr, &trap);
  EXPECT_EQ(reinterpret_cast<void*>(segv.sa_sigaction), reinterpret_cast<void*>(program_segv_handler));
  EXPECT_EQ(segv.sa_flags, before.sa_flags);
  EXPECT_EQ(sigismember(&segv.sa_mask, SIGUSR1), 1);
  EXPECT_EQ(trap.sa_handler, SIG_IGN);
}

// SIGTRAP sent to an ignoring program, during a trace and after one, is ignored: the process
// lives on (the old handler set it back to the default action, which the second one ends).
[[noreturn]] void raise_ignored_sigtraps() {
  signal(SIGTRAP, SIG_IGN);
  tl::set_check_mode(tl::check_mode::warn);
  auto f = tl::function(
      [](const tl::tensor& x) {
        ++g_signal_test_writes;
        raise(SIGTRAP);
        raise(SIGTRAP);
        return x;
      },
      {.name = "raises_sigtrap"});
  f(tl::ones({1}));
  raise(SIGTRAP);
  raise(SIGTRAP);
  std::_Exit(0);
}

TEST(Signals, AnIgnoredSigtrapStaysIgnored) { EXPECT_EXIT(raise_ignored_sigtraps(), ::testing::ExitedWithCode(0), ""); }

volatile int g_unbounded = 1 << 30;  // deeper than any stack: the recursion ends in the overflow
int recurse(int depth) {
  volatile char frame[1024];
  frame[0] = static_cast<char>(depth);
  return depth < g_unbounded ? recurse(depth + 1) + frame[0] : 0;
}

// A stack-overflow handler on an alternate stack (the only stack it can run on) still runs
// after a trace: the locator's handler was installed without SA_ONSTACK and stayed.
[[noreturn]] void overflow_after_a_trace() {
  static char alternate[1 << 16];
  stack_t ss{};
  ss.ss_sp = alternate;
  ss.ss_size = sizeof alternate;
  if (sigaltstack(&ss, nullptr) != 0) std::_Exit(3);
  struct sigaction mine{};
  mine.sa_sigaction = program_segv_handler;
  mine.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&mine.sa_mask);
  sigaction(SIGSEGV, &mine, nullptr);
  trace_writing_a_global("before_overflow");
  std::_Exit(recurse(0) == 0 ? 4 : 5);
}

TEST(Signals, AStackOverflowHandlerOnAnAlternateStackStillRunsAfterATrace) {
  if (kSanitized) GTEST_SKIP() << "the sanitizers catch the overflow themselves";
  EXPECT_EXIT(overflow_after_a_trace(), ::testing::ExitedWithCode(42), "");
}

// A fault that is not the locator's, during a trace, reaches the program's plain (not SA_SIGINFO)
// handler, which repairs it.
char* g_read_only_page = nullptr;
void unprotect_on_fault(int) { mprotect(g_read_only_page, 4096, PROT_READ | PROT_WRITE); }

TEST(Signals, AFaultThatIsNotTheLocatorsReachesTheProgramsPlainHandlerDuringATrace) {
  dispositions_reset reset;
  void* m = mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(m, MAP_FAILED);
  g_read_only_page = static_cast<char*>(m);
  struct sigaction mine{};
  mine.sa_handler = unprotect_on_fault;
  sigemptyset(&mine.sa_mask);
  sigaction(SIGSEGV, &mine, nullptr);
  tl::scoped_check_mode mode(tl::check_mode::warn);
  auto f = tl::function(
      [](const tl::tensor& x) {
        ++g_signal_test_writes;
        g_read_only_page[10] = 5;
        return x;
      },
      {.name = "repaired_fault"});
  f(tl::ones({1}));
  EXPECT_EQ(g_read_only_page[10], 5);
  munmap(m, 4096);
}

}  // namespace
