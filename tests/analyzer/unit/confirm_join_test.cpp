// The join of `tracelint confirm`: files first, then the traced function, rule and entity.
#include "confirm/Confirm.h"

#include <gtest/gtest.h>

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
  auto R = joinReports({finding("/src/a.cpp", 12, "train_step", 10)},
                       {observation("train_step", "/src/a.cpp:9", "")});
  EXPECT_EQ(R.StaticMatch[0], 0);
}

TEST(ConfirmJoin, AnObservationFromAnotherFileIsMissedNotConfirmed) {
  auto R = joinReports({finding("/src/a.cpp", 12, "train_step", 10)},
                       {observation("train_step", "/src/c.cpp:5", "/src/c.cpp:7")});
  EXPECT_EQ(R.StaticMatch[0], -1);
  EXPECT_EQ(R.confirmed(), 0u);
  EXPECT_EQ(R.missed(), 1u);
}

}  // namespace
}  // namespace tracelint
