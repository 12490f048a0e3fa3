// Two threads tracing at once: each trace's snapshot also sees the other's writes to static
// storage, and the write locator must attribute each write to the trace of the thread that made
// it (runtime/src/hazards/write_locator.h).
#include <gtest/gtest.h>
#include <tl/tl.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "sanitized.h"

namespace {

int g_written_by_a = 0;
int g_written_by_b = 0;

// On the heap, which snapshots do not cover: the threads' meeting points are not host mutations.
struct rendezvous {
  std::atomic<int> inside{0}, wrote{0};
  int line_a = 0, line_b = 0;
};

void wait_for(const std::atomic<int>& count, int value) {
  while (count.load() < value) std::this_thread::yield();
}

// Both traces are running when either writes, and neither ends before both have written. The
// writes take turns (`turn` 0, then 1): a write at the very instant another thread's write has its
// page unprotected for a single step is not located (docs/reliability.md).
void trace_on_this_thread(const char* name, int turn, int& global, int& line, rendezvous& r) {
  auto f = tl::function(
      [&](const tl::tensor& x) {
        r.inside.fetch_add(1);
        wait_for(r.inside, 2);
        wait_for(r.wrote, turn);
        line = __LINE__ + 1;
        ++global;
        r.wrote.fetch_add(1);
        wait_for(r.wrote, 2);
        return x;
      },
      {.name = name});
  f(tl::ones({1}));
}

TEST(ConcurrentTraces, EachTraceReportsOnlyItsOwnThreadsWritesAtItsOwnLines) {
  if (tl_test::kSanitized) GTEST_SKIP() << "writes are located only without sanitizers";
  tl::clear_observations();
  tl::scoped_check_mode mode(tl::check_mode::warn);
  auto r = std::make_unique<rendezvous>();
  std::thread a(trace_on_this_thread, "trace_a", 0, std::ref(g_written_by_a), std::ref(r->line_a), std::ref(*r));
  std::thread b(trace_on_this_thread, "trace_b", 1, std::ref(g_written_by_b), std::ref(r->line_b), std::ref(*r));
  a.join();
  b.join();
  auto expect_own = [&](const std::string& function, const std::string& own, const std::string& other, int line) {
    bool named_own = false;
    for (const auto& o : tl::observations()) {
      if (o.function != function || o.rule != "trace-host-mutation") continue;
      EXPECT_EQ(o.entity.find(other), std::string::npos) << function << " reports " << o.entity << " at " << o.location;
      if (o.entity.find(own) == std::string::npos) continue;
      named_own = true;
      EXPECT_NE(o.location.find("concurrent_traces_test.cpp:" + std::to_string(line)), std::string::npos) << o.location;
    }
    EXPECT_TRUE(named_own) << function << " does not report " << own;
  };
  expect_own("trace_a", "g_written_by_a", "g_written_by_b", r->line_a);
  expect_own("trace_b", "g_written_by_b", "g_written_by_a", r->line_b);
}

}  // namespace
