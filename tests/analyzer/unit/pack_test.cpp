// API packs (core/Pack): the shipped packs load, message templates are filled in, capture wrappers
// found in other files reach the regions of their kind, and a pack's parts stay whole for
// per-file selection.
#include "core/Pack.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ScratchDir.h"

namespace tracelint {
namespace {

const Catalogue& shippedCatalogue() {
  static const Catalogue Cat = [] {
    std::string Error;
    auto C = Catalogue::load(TRACELINT_SOURCE_RULES_DIR "/catalogue.json", Error);
    if (!C) throw std::runtime_error(Error);
    return *C;
  }();
  return Cat;
}

TEST(Pack, ShippedPacksLoad) {
  int Loaded = 0;
  for (const auto& E : std::filesystem::directory_iterator(TRACELINT_SOURCE_RULES_DIR "/packs")) {
    std::string Error;
    auto P = loadPack(E.path().string(), shippedCatalogue(), Error);
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
  auto Cuda = loadPack(TRACELINT_SOURCE_RULES_DIR "/packs/cuda-graphs.json", shippedCatalogue(), Error);
  auto Tl = loadPack(TRACELINT_SOURCE_RULES_DIR "/packs/tl.json", shippedCatalogue(), Error);
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

// The message keys, their placeholders and the API-neutral texts are the catalogue's: a pack without
// "messages" gets every one of them, variants included.
class PackMessages : public ScratchDirTest {};

TEST_F(PackMessages, DefaultsComeFromTheCatalogue) {
  const auto& Keys = shippedCatalogue().messageKeys();
  ASSERT_TRUE(Keys.count("trace-host-read.call"));
  // {reason}: why the pack lists the call (issue 29.3).
  EXPECT_EQ(Keys.at("trace-host-read.call").Placeholders, (std::vector<std::string>{"subject", "function", "reason"}));
  for (const auto& R : shippedCatalogue().rules()) EXPECT_TRUE(Keys.count(R.Id)) << R.Id << " has no message";
  auto Path = (Dir / "neutral.json").string();
  std::ofstream(Path)
      << R"({"pack": "neutral", "entry_points": [{"kind": "call", "function": "api::trace", "callable_arg": 0}]})";
  std::string Error;
  auto P = loadPack(Path, shippedCatalogue(), Error);
  ASSERT_TRUE(P) << Error;
  ASSERT_EQ(P->EntryPoints.size(), 1u);
  const auto& Messages = *P->EntryPoints[0].Messages;
  ASSERT_EQ(Messages.size(), Keys.size());
  for (const auto& [Key, Known] : Keys) EXPECT_EQ(Messages.at(Key), Known.Default) << Key;
}

TEST_F(PackMessages, ACatalogueMessageWithoutTextIsMalformed) {
  auto Path = (Dir / "catalogue.json").string();
  std::ofstream(Path) << R"({"version": 1, "rules": [{"id": "trace-x", "summary": "s", "description": "d",
    "severity": "warning", "precision": "high", "message": {"placeholders": ["subject"], "text": ""}}]})";
  std::string Error;
  EXPECT_FALSE(Catalogue::load(Path, Error));
  EXPECT_NE(Error.find("message 'trace-x' has an empty text"), std::string::npos) << Error;
}

// Issue 29's lifecycle fields: a pack of guard types only is valid and its guards survive add();
// status calls belong to their capture region; a misspelt field is still an error.
TEST_F(PackMessages, CaptureLifecycleFields) {
  auto Guards = (Dir / "guards.json").string();
  std::ofstream(Guards) << R"({"pack": "guards", "capture_guard_types": ["::lib::Capture", "lib::Scope"]})";
  auto Region = (Dir / "region.json").string();
  std::ofstream(Region) << R"({"pack": "api", "capture_regions": [{"begin": "api::begin", "end": "api::end",
    "status_calls": ["api::begin", "api::launch"]}]})";
  std::string Error;
  auto G = loadPack(Guards, shippedCatalogue(), Error);
  ASSERT_TRUE(G) << Error;
  EXPECT_EQ(G->CaptureGuardTypes, (std::vector<std::string>{"lib::Capture", "lib::Scope"}));
  auto R = loadPack(Region, shippedCatalogue(), Error);
  ASSERT_TRUE(R) << Error;
  EXPECT_EQ(R->CaptureRegions.at(0).StatusCalls, (std::vector<std::string>{"api::begin", "api::launch"}));
  Pack All;
  All.add(*R);
  All.add(*G);
  EXPECT_EQ(All.CaptureGuardTypes.size(), 2u);
  auto Misspelt = (Dir / "misspelt.json").string();
  std::ofstream(Misspelt) << R"({"pack": "m", "capture_guard_type": ["lib::Capture"]})";
  EXPECT_FALSE(loadPack(Misspelt, shippedCatalogue(), Error));
  EXPECT_NE(Error.find("unknown key 'capture_guard_type'"), std::string::npos) << Error;
}

// Issue 29.3: every capture-unsafe call of the shipped capture and compile packs says why, in its
// API's documented words; a versioned entry joins its list only where its condition holds.
TEST(Pack, ShippedCaptureUnsafeCallsHaveReasons) {
  for (const char* Name : {"cuda-graphs", "pytorch-cuda-graph", "mlx"}) {
    std::string Error;
    auto P = loadPack(std::string(TRACELINT_SOURCE_RULES_DIR "/packs/") + Name + ".json", shippedCatalogue(), Error);
    ASSERT_TRUE(P) << Error;
    for (const auto* List : {&P->HostReadFunctions, &P->VariableCreatingFunctions, &P->HostReadMethods})
      for (const auto& Entry : *List) EXPECT_FALSE(P->reasonFor(Entry).empty()) << Name << ": " << Entry;
    for (const auto& V : P->Versioned) EXPECT_FALSE(P->reasonFor(V.Name).empty()) << Name << ": " << V.Name;
  }
}

TEST_F(PackMessages, VersionConditions) {
  auto Path = (Dir / "versioned.json").string();
  std::ofstream(Path) << R"({"pack": "v", "host_read_functions": ["plain",
    {"name": "newer", "reason": "r", "if": "API_VERSION >= 13000"}, {"name": "older", "if": "API_VERSION<13000"}]})";
  std::string Error;
  auto P = loadPack(Path, shippedCatalogue(), Error);
  ASSERT_TRUE(P) << Error;
  EXPECT_EQ(P->HostReadFunctions, (std::vector<std::string>{"plain"}));
  EXPECT_EQ(P->reasonFor("newer"), "r");
  Pack Thirteen = *P, Twelve = *P, Undefined = *P;
  Thirteen.applyVersionConditions([](const std::string&) { return std::optional<long long>(13000); });
  Twelve.applyVersionConditions([](const std::string&) { return std::optional<long long>(12080); });
  Undefined.applyVersionConditions([](const std::string&) { return std::optional<long long>(); });
  EXPECT_EQ(Thirteen.HostReadFunctions, (std::vector<std::string>{"plain", "newer"}));
  EXPECT_EQ(Twelve.HostReadFunctions, (std::vector<std::string>{"plain", "older"}));
  EXPECT_EQ(Undefined.HostReadFunctions, (std::vector<std::string>{"plain"}));
  std::ofstream(Path) << R"({"pack": "v", "host_read_functions": [{"name": "x", "if": "API_VERSION >= thirteen"}]})";
  EXPECT_FALSE(loadPack(Path, shippedCatalogue(), Error));
  EXPECT_NE(Error.find("must be a condition 'MACRO OP INTEGER'"), std::string::npos) << Error;
}

}  // namespace
}  // namespace tracelint
