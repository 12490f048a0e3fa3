// The write locator write-protects the user's static pages while a checked trace runs
// (runtime/src/hazards/write_locator.h). Whatever protection the program itself gave a page must
// be what the page has afterwards, and a page the program cannot read must never be read.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <tl/tl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "sanitized.h"

namespace {

using tl_test::kSanitized;

constexpr std::size_t kPage = 4096;
// In the test executable's .bss, so the runtime snapshots and watches these pages.
alignas(kPage) char g_arena[4 * kPage];
int g_arena_writes = 0;

// The protection /proc/self/maps lists for the page holding `p`: PROT_* bits, -1 if unmapped.
int protection_of(const void* p) {
  auto a = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long long b = 0, e = 0;
    char perms[5] = {};
    if (std::sscanf(line.c_str(), "%llx-%llx %4s", &b, &e, perms) != 3 || a < b || a >= e) continue;
    return (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) | (perms[2] == 'x' ? PROT_EXEC : 0);
  }
  return -1;
}

// Gives the arena back its ordinary protection, whatever a test did to it.
struct arena_reset {
  ~arena_reset() { mprotect(g_arena, sizeof g_arena, PROT_READ | PROT_WRITE); }
};

tl::tensor trace_writing_a_global(const char* name) {
  auto f = tl::function(
      [](const tl::tensor& x) {
        ++g_arena_writes;
        return x * 2.0;
      },
      {.name = name});
  return f(tl::ones({1}));
}

TEST(PageProtection, AnInaccessibleGuardPageIsNeitherReadNorMadeAccessible) {
  arena_reset reset;
  char* guard = g_arena + kPage;
  ASSERT_EQ(mprotect(guard, kPage, PROT_NONE), 0);
  tl::scoped_check_mode mode(tl::check_mode::warn);
  EXPECT_EQ(trace_writing_a_global("guard_page").item<float>(), 2.0f);
  EXPECT_EQ(protection_of(guard), PROT_NONE);
  EXPECT_EQ(protection_of(g_arena), PROT_READ | PROT_WRITE);
}

TEST(PageProtection, AReadOnlyPageStaysReadOnly) {
  arena_reset reset;
  char* read_only = g_arena + 2 * kPage;
  ASSERT_EQ(mprotect(read_only, kPage, PROT_READ), 0);
  tl::scoped_check_mode mode(tl::check_mode::warn);
  trace_writing_a_global("read_only_page");
  EXPECT_EQ(protection_of(read_only), PROT_READ);
  EXPECT_EQ(protection_of(g_arena + 3 * kPage), PROT_READ | PROT_WRITE);
}

// A page the program made executable runs its code during the trace and stays executable. The
// child's alarm only turns the old endless fault loop into a failure; the code takes microseconds.
[[noreturn]] void run_code_on_an_executable_page() {
  alarm(120);
  char* code = g_arena + 3 * kPage;
  const unsigned char ret_42[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};  // mov eax, 42; ret
  std::memcpy(code, ret_42, sizeof ret_42);
  if (mprotect(code, kPage, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) std::_Exit(3);
  auto run = reinterpret_cast<int (*)()>(code);
  tl::set_check_mode(tl::check_mode::warn);
  int got = 0;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        got = run();
        ++g_arena_writes;
        return x;
      },
      {.name = "executable_page"});
  f(tl::ones({1}));
  bool still_executable = protection_of(code) == (PROT_READ | PROT_WRITE | PROT_EXEC);
  std::_Exit(got == 42 && run() == 42 && still_executable ? 0 : 4);
}

TEST(PageProtection, AnExecutableStaticPageRunsDuringTheTraceAndStaysExecutable) {
  if (kSanitized) GTEST_SKIP() << "write-protection is off under sanitizers";
  EXPECT_EXIT(run_code_on_an_executable_page(), ::testing::ExitedWithCode(0), "");
}

// Two writes in one caller frame, each its own statement: the first store crosses a page
// boundary (it faults on both pages), the second lands on the first page again and must still
// be located.
TEST(PageProtection, AStoreAcrossAPageBoundaryLosesNoLaterLocation) {
  if (kSanitized) GTEST_SKIP() << "write-protection is off under sanitizers";
  tl::clear_observations();
  tl::scoped_check_mode mode(tl::check_mode::warn);
  alignas(kPage) char frame_buffer[2 * kPage] = {};
  int later_line = 0;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        std::uint64_t v = 0x0102030405060708ULL;
        std::memcpy(frame_buffer + kPage - 4, &v, sizeof v);
        later_line = __LINE__ + 1;
        frame_buffer[100] = 7;
        return x;
      },
      {.name = "crossing_store"});
  f(tl::ones({1}));
  bool later_located = false;
  for (const auto& o : tl::observations())
    if (o.function == "crossing_store" && o.rule == "trace-host-mutation")
      later_located |= o.location.find("page_protection_test.cpp:" + std::to_string(later_line)) != std::string::npos;
  EXPECT_TRUE(later_located) << "the write after the page-crossing store has no location";
  EXPECT_EQ(frame_buffer[100], 7);
}

}  // namespace
