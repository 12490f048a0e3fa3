// A checked trace runs on a stack of its own (runtime/src/hazards/trace_stack.h). What the traced
// code does to its thread's state must be what the thread has when the call returns, as if the
// trace had run on the caller's stack.
#include <fenv.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <tl/tl.h>
#include <xmmintrin.h>

#include <cstdint>
#include <cstdlib>

#include "sanitized.h"

namespace {

constexpr unsigned kFlushToZeroAndDenormalsAreZero = 0x8040;  // MXCSR bits FTZ (15) and DAZ (6)

// Gives the thread back its floating-point environment and signal mask, whatever a test did.
struct thread_state_reset {
  fenv_t env{};
  sigset_t mask{};
  thread_state_reset() {
    fegetenv(&env);
    pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  }
  ~thread_state_reset() {
    fesetenv(&env);
    pthread_sigmask(SIG_SETMASK, &mask, nullptr);
  }
};

bool sigpipe_blocked() {
  sigset_t now;
  pthread_sigmask(SIG_BLOCK, nullptr, &now);
  return sigismember(&now, SIGPIPE) == 1;
}

// A library that, on first use inside a traced function, blocks SIGPIPE (so that a write to a
// closed socket is an error, not death) and switches the floating-point environment.
TEST(TraceStack, SignalMaskAndFloatingPointChangesMadeWhileTracingSurviveTheCall) {
  thread_state_reset reset;
  ASSERT_FALSE(sigpipe_blocked());
  ASSERT_EQ(fegetround(), FE_TONEAREST);
  tl::scoped_check_mode mode(tl::check_mode::warn);
  auto f = tl::function(
      [](const tl::tensor& x) {
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
        fesetround(FE_UPWARD);
        _mm_setcsr(_mm_getcsr() | kFlushToZeroAndDenormalsAreZero);
        return x + 1.0;
      },
      {.name = "changes_thread_state"});
  f(tl::ones({1}));
  EXPECT_TRUE(sigpipe_blocked());
  EXPECT_EQ(fegetround(), FE_UPWARD);
  EXPECT_EQ(_mm_getcsr() & kFlushToZeroAndDenormalsAreZero, kFlushToZeroAndDenormalsAreZero);
}

// The other direction: the caller's state is what the traced code starts with.
TEST(TraceStack, TheTraceStartsWithTheCallersFloatingPointEnvironment) {
  thread_state_reset reset;
  fesetround(FE_DOWNWARD);
  tl::scoped_check_mode mode(tl::check_mode::warn);
  int seen = -1;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        seen = fegetround();
        return x;
      },
      {.name = "reads_rounding"});
  f(tl::ones({1}));
  EXPECT_EQ(seen, FE_DOWNWARD);
}

// Host recursion while tracing, `depth` frames of about 1 KiB each.
int recurse(int depth) {
  volatile char frame[1024];
  frame[0] = static_cast<char>(depth);
  return depth == 0 ? frame[0] : recurse(depth - 1) + frame[0];
}

constexpr std::size_t kBigThreadStack = std::size_t{64} << 20;
constexpr int kDeepFrames = 32 * 1024;  // about 32 MiB: four times the default stack limit

void* trace_deep_recursion(void*) {
  tl::set_check_mode(tl::check_mode::warn);
  auto f = tl::function(
      [](const tl::tensor& x) {
        recurse(kDeepFrames);
        return x;
      },
      {.name = "recurses_deeply"});
  f(tl::ones({1}));
  return nullptr;
}

// Recursion that fits the calling thread's stack fits its trace stack: the trace stack was always
// the process's stack limit (8 MiB), so a thread made with a 64 MiB stack crashed when checked only.
[[noreturn]] void deep_recursion_on_a_big_thread() {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kBigThreadStack);
  pthread_t thread;
  if (pthread_create(&thread, &attr, trace_deep_recursion, nullptr) != 0) std::_Exit(3);
  pthread_join(thread, nullptr);
  std::_Exit(0);
}

TEST(TraceStack, DeepRecursionThatFitsTheThreadsStackFitsItsTraceStack) {
  if (tl_test::kSanitized) GTEST_SKIP() << "the trace stack is off under sanitizers";
  EXPECT_EXIT(deep_recursion_on_a_big_thread(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
