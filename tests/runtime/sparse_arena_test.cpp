// A large, barely used static arena: a checked trace must cost what the program uses of it, not
// its size (a 2 GiB array once took 50 s and 4.2 GB per trace). The verdict is memory, not time:
// a snapshot that copies the arena holds a copy as large as the arena.
#include <gtest/gtest.h>

#include <string>

#include "command_output.h"

namespace {

TEST(SparseArena, ATraceCostsTheTouchedPagesNotTheArenasSize) {
  auto out = tl_test::command_output("TL_CHECK_MODE=warn '" + std::string(TL_SPARSE_ARENA_PROBE) + "' 2>/dev/null");
  ASSERT_NE(out.find("peak_rss_kib "), std::string::npos) << out;
  long peak = std::stol(out.substr(out.find("peak_rss_kib ") + 13));
  EXPECT_LT(peak, 128L * 1024) << "peak RSS " << peak << " KiB for a 512 MiB arena of which 4 pages are used";
  // Both writes are seen: the one to a touched page and the one to a page touched first by the trace.
  EXPECT_NE(out.find("mutation g_sparse_arena at"), std::string::npos) << out;
  EXPECT_NE(out.find("(2 bytes)"), std::string::npos) << out;
}

}  // namespace
