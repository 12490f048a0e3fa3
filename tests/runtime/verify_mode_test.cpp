// Verify mode retraces a function on calls its cache serves and compares the graphs
// (runtime/src/hazards/trace_verify.h). It is a test mode: the program must compute and print what
// it does in warn mode. The retrace's host code runs in a forked copy of the program: its writes
// (static storage, the caller's frames, the heap) and its output stay there, its errors and
// crashes are reported.
#include <gtest/gtest.h>
#include <tl/tl.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

int g_verify_traces = 0;
double g_verify_sum = 0;

// Whether an observation of `function` has `text` in its message (or rule).
bool observed(const std::string& function, const std::string& text) {
  for (const auto& o : tl::observations())
    if (o.function == function && (o.rule == text || o.message.find(text) != std::string::npos)) return true;
  return false;
}

class VerifyMode : public ::testing::Test {
 protected:
  void SetUp() override { tl::clear_observations(); }
};

// Runs `calls` calls of a function whose host code counts its traces, in `mode`; returns the
// counts the program sees afterwards.
struct host_counts {
  int global = 0, local = 0;
  double sum = 0;
};
host_counts run_counting(tl::check_mode mode, int calls) {
  tl::scoped_check_mode scoped(mode);
  g_verify_traces = 0;
  g_verify_sum = 0;
  int local_traces = 0;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        ++g_verify_traces;
        g_verify_sum += 0.5;
        ++local_traces;
        return x * 2.0;
      },
      {.name = "counts_traces"});
  for (int i = 0; i < calls; ++i) f(tl::ones({2}));
  return {g_verify_traces, local_traces, g_verify_sum};
}

TEST_F(VerifyMode, TheRetracesHostWritesAreInvisible) {
  auto warn = run_counting(tl::check_mode::warn, 3);
  auto verify = run_counting(tl::check_mode::verify, 3);
  EXPECT_EQ(warn.global, 1);
  EXPECT_EQ(verify.global, warn.global);
  EXPECT_EQ(verify.local, warn.local);
  EXPECT_EQ(verify.sum, warn.sum);
}

// TF refuses such a function; tl observes it (docs/runtime.md). The retrace creates the variable
// again: that is reported, never thrown, so the program runs on as in warn mode.
TEST_F(VerifyMode, AVariableCreatedUnconditionallyIsReportedNotThrown) {
  tl::scoped_check_mode scoped(tl::check_mode::verify);
  auto f = tl::function(
      [](const tl::tensor& x) {
        tl::variable v(tl::zeros({2}));
        return x + v.value();
      },
      {.name = "creates_unconditionally"});
  float total = 0;
  EXPECT_NO_THROW({
    for (int i = 0; i < 3; ++i) total += tl::sum(f(tl::ones({2}))).item<float>();
  });
  EXPECT_EQ(total, 6.0f);
  EXPECT_TRUE(observed("creates_unconditionally", "trace-variable-creation"));
}

// An error the retrace's host code throws (its state changed since the first trace) is an
// observation of the verification, not an exception in the program.
TEST_F(VerifyMode, AnErrorOfTheRetraceIsReportedNotThrown) {
  tl::scoped_check_mode scoped(tl::check_mode::verify);
  bool fail = false;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        if (fail) throw std::runtime_error("host state changed");
        return x;
      },
      {.name = "throws_on_retrace"});
  f(tl::ones({1}));
  fail = true;
  EXPECT_NO_THROW(f(tl::ones({1})));
  EXPECT_TRUE(observed("throws_on_retrace", "host state changed"));
}

TEST_F(VerifyMode, TheRetracesHeapWritesAndContainerGrowthAreInvisible) {
  tl::scoped_check_mode scoped(tl::check_mode::verify);
  std::vector<int> history;
  std::vector<int> per_layer(2, 0);
  auto f = tl::function(
      [&](const tl::tensor& x) {
        history.push_back(1);
        ++per_layer[1];
        return x;
      },
      {.name = "grows_containers"});
  for (int i = 0; i < 3; ++i) f(tl::ones({1}));
  EXPECT_EQ(history.size(), 1u);
  EXPECT_EQ(per_layer[1], 1);
}

TEST_F(VerifyMode, ARetraceThatCrashesIsReportedAndTheProgramLivesOn) {
  tl::scoped_check_mode scoped(tl::check_mode::verify);
  int* volatile target = nullptr;
  int value = 0;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        if (target == nullptr) {
          value = 1;
        } else {
          *target = 2;  // the retrace writes through a pointer the program has since cleared
        }
        return x;
      },
      {.name = "crashes_on_retrace"});
  f(tl::ones({1}));
  target = reinterpret_cast<int*>(16);
  f(tl::ones({1}));
  EXPECT_EQ(value, 1);
  EXPECT_TRUE(observed("crashes_on_retrace", "crashed"));
}

TEST_F(VerifyMode, TheRetracesStdoutStaysOutOfTheProgramsOutput) {
  tl::scoped_check_mode scoped(tl::check_mode::verify);
  auto f = tl::function(
      [](const tl::tensor& x) {
        std::printf("printf while tracing\n");
        std::cout << "cout while tracing" << std::endl;
        return x;
      },
      {.name = "prints_while_tracing"});
  ::testing::internal::CaptureStdout();
  for (int i = 0; i < 3; ++i) f(tl::ones({1}));
  std::printf("after the calls\n");
  std::fflush(stdout);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "printf while tracing\ncout while tracing\nafter the calls\n");
}

}  // namespace
