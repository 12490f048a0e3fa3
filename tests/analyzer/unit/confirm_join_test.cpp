// The join of `tracelint confirm`: files first, then the traced function, rule and entity.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "confirm/Confirm.h"
#include "core/Catalogue.h"

namespace tracelint {
namespace {

StaticItem finding(std::string File, unsigned Line, std::string Function, unsigned FunctionLine) {
  StaticItem S;
  S.Rule = "trace-host-mutation";
  S.File = File;
  S.Line = Line;
  S.Function = std::move(Function);
  S.FunctionLocation = File + ":" + std::to_string(FunctionLine);
  S.Entity = "counter";
  return S;
}

RuntimeItem observation(std::string Function, std::string FunctionLocation, std::string Location) {
  RuntimeItem R;
  R.Rule = "trace-host-mutation";
  R.Function = std::move(Function);
  R.FunctionLocation = std::move(FunctionLocation);
  R.Location = std::move(Location);
  R.Entity = "counter";
  return R;
}

TEST(ConfirmJoin, FunctionsOfOneNameInTwoFilesNeverJoin) {
  // Both files define a traced `train_step` writing a `counter`; the run exercised only b.cpp's.
  auto R = joinReports({finding("/src/a.cpp", 12, "train_step", 10), finding("/src/b.cpp", 40, "train_step", 38)},
                       {observation("train_step", "/src/b.cpp:38", "/src/b.cpp:40")});
  ASSERT_EQ(R.StaticMatch.size(), 2u);
  EXPECT_EQ(R.StaticMatch[0], -1) << "a.cpp's finding joined b.cpp's observation";
  EXPECT_EQ(R.StaticMatch[1], 0);
  EXPECT_EQ(R.confirmed(), 1u);
  EXPECT_EQ(R.missed(), 0u);
}

TEST(ConfirmJoin, SameNameAtAnotherLineOfTheSameFileJoins) {
  // The analyzer names the lambda's line, the runtime the tl::function's: same file, same name.
  auto R = joinReports({finding("/src/a.cpp", 12, "train_step", 10)}, {observation("train_step", "/src/a.cpp:9", "")});
  EXPECT_EQ(R.StaticMatch[0], 0);
}

TEST(ConfirmJoin, AnObservationFromAnotherFileIsMissedNotConfirmed) {
  auto R = joinReports({finding("/src/a.cpp", 12, "train_step", 10)},
                       {observation("train_step", "/src/c.cpp:5", "/src/c.cpp:7")});
  EXPECT_EQ(R.StaticMatch[0], -1);
  EXPECT_EQ(R.confirmed(), 0u);
  EXPECT_EQ(R.missed(), 1u);
}

// A hazard named by where it happened: the runtime may see it at a line the finding names as
// related (the traced function's statement that constructed a layer whose initializer makes a
// variable), and joins there, but not at an unrelated line.
TEST(ConfirmJoin, ALocationEntityJoinsAtTheFindingsRelatedLines) {
  auto S = finding("/src/a.cpp", 10, "every_trace", 37);
  S.Rule = "trace-variable-creation";
  S.Entity = "/src/a.cpp:10";
  S.Related = {"/src/a.cpp:38", "/src/a.cpp:37"};
  auto At = [](const char* Line) {
    auto R = observation("every_trace", "/src/a.cpp:37", Line);
    R.Rule = "trace-variable-creation";
    R.Entity = Line;
    return R;
  };
  EXPECT_EQ(joinReports({S}, {At("/src/a.cpp:38")}).confirmed(), 1u);
  EXPECT_EQ(joinReports({S}, {At("/src/a.cpp:10")}).confirmed(), 1u);
  EXPECT_EQ(joinReports({S}, {At("/src/a.cpp:50")}).confirmed(), 0u);
}

// The joined SARIF repeats each static result's range, in SARIF's UTF-16 columns, on a line whose
// text before the finding is not ASCII (so bytes and UTF-16 units differ), from either static format.
TEST(ConfirmJoin, JoinedSarifKeepsTheStaticRangeOnANonAsciiLine) {
  std::string Error;
  auto Cat = Catalogue::load(TRACELINT_SOURCE_RULES_DIR "/catalogue.json", Error);
  ASSERT_TRUE(Cat) << Error;
  auto Dir = std::filesystem::temp_directory_path() / ("confirm_columns_" + std::to_string(::getpid()));
  std::filesystem::create_directories(Dir);
  // `/* größe */ counter += 1;`: counter starts at UTF-16 column 13 (byte column 15).
  nlohmann::json Sarif = {
      {"runs",
       {{{"results",
          {{{"ruleId", "trace-host-mutation"},
            {"message", {{"text", "counter written"}}},
            {"locations",
             {{{"physicalLocation",
                {{"artifactLocation", {{"uri", "file:///src/a.cpp"}}},
                 {"region", {{"startLine", 12}, {"startColumn", 13}, {"endLine", 12}, {"endColumn", 20}}}}}}}},
            {"properties", {{"tracedFunction", "train_step"}, {"tracedFunctionLocation", "/src/a.cpp:10"}}}}}}}}}};
  nlohmann::json Lsp = {
      {"files",
       {{{"uri", "file:///src/a.cpp"},
         {"diagnostics",
          {{{"code", "trace-host-mutation"},
            {"message", "counter written"},
            {"range", {{"start", {{"line", 11}, {"character", 12}}}, {"end", {{"line", 11}, {"character", 19}}}}},
            {"data", {{"tracedFunction", "train_step"}, {"tracedFunctionLocation", "/src/a.cpp:10"}}}}}}}}}};
  for (const auto& [Name, Doc] : {std::pair{"static.sarif", Sarif}, std::pair{"static.json", Lsp}}) {
    SCOPED_TRACE(Name);
    auto Path = (Dir / Name).string();
    std::ofstream(Path) << Doc.dump();
    std::vector<StaticItem> Items;
    ASSERT_TRUE(loadStaticReport(Path, Items, Error)) << Error;
    ASSERT_EQ(Items.size(), 1u);
    auto Joined = nlohmann::json::parse(confirmSarif(joinReports(Items, {}), *Cat, EmitOptions{}));
    auto Region = Joined["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    EXPECT_EQ(Region["startLine"], 12);
    EXPECT_EQ(Region["startColumn"], 13);
    EXPECT_EQ(Region["endLine"], 12);
    EXPECT_EQ(Region["endColumn"], 20);
  }
  std::filesystem::remove_all(Dir);
}

}  // namespace
}  // namespace tracelint
