// API packs (core/Pack): the shipped packs load, message templates are filled in, capture wrappers
// found in other files reach the regions of their kind, and a pack's parts stay whole for
// per-file selection.
#include "core/Pack.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tracelint {
namespace {

TEST(Pack, ShippedPacksLoad) {
  int Loaded = 0;
  for (const auto& E : std::filesystem::directory_iterator(TRACELINT_SOURCE_RULES_DIR "/packs")) {
    std::string Error;
    auto P = loadPack(E.path().string(), Error);
    ASSERT_TRUE(P) << Error;
    const MessageTemplates* Messages = !P->EntryPoints.empty()      ? P->EntryPoints[0].Messages.get()
                                       : !P->CaptureRegions.empty() ? P->CaptureRegions[0].Messages.get()
                                                                    : nullptr;
    ASSERT_TRUE(Messages) << E.path();
    EXPECT_FALSE(Messages->empty()) << E.path();
    ++Loaded;
  }
  EXPECT_GE(Loaded, 4);
}

TEST(Pack, FillMessage) {
  EXPECT_EQ(fillMessage("{subject} while tracing '{function}' (from '{source}')", "x", "f", "i"),
            "x while tracing 'f' (from 'i')");
  EXPECT_EQ(fillMessage("{subject} stays {subject}", "a", "f"), "a stays a");
  // An unknown or unclosed brace is text: templates are validated when the pack loads.
  EXPECT_EQ(fillMessage("{other} and {", "a", "f"), "{other} and {");
}

TEST(Pack, CaptureWrappersReachTheirKind) {
  std::string Error;
  auto Cuda = loadPack(TRACELINT_SOURCE_RULES_DIR "/packs/cuda-graphs.json", Error);
  auto Tl = loadPack(TRACELINT_SOURCE_RULES_DIR "/packs/tl.json", Error);
  ASSERT_TRUE(Cuda && Tl) << Error;
  Pack All;
  All.add(*Tl);
  All.add(*Cuda);
  ASSERT_EQ(All.Parts.size(), 2u);
  All.addCaptureWrappers({{"c:@F@begin_graph", "hipStreamBeginCapture"}}, {{"c:@F@end_graph", "cudaStreamEndCapture"}});
  const auto& Regions = All.Parts[1].CaptureRegions;
  ASSERT_EQ(Regions.size(), 2u);
  EXPECT_TRUE(Regions[0].BeginWrapperUsrs.empty());
  EXPECT_EQ(Regions[1].BeginWrapperUsrs.count("c:@F@begin_graph"), 1u);
  // Ends are keyed by the begin name of their kind, so "cudaStreamEndCapture" names no kind.
  EXPECT_TRUE(Regions[0].EndWrapperUsrs.empty());
}

}  // namespace
}  // namespace tracelint
