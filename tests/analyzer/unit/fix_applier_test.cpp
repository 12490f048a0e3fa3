// --fix planning and writing: conflicts, duplicates, stale files, and all-or-nothing writes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "ScratchDir.h"
#include "output/FixApplier.h"

namespace tracelint {
namespace {

Finding finding(const std::string& Check, unsigned Line, std::vector<FixIt> Fixes) {
  Finding F;
  F.CheckId = Check;
  F.Where = {"a.cpp", Line, 1};
  F.Fixes = std::move(Fixes);
  return F;
}

FixIt edit(const std::string& Text, unsigned Offset, unsigned Length, const std::string& Replacement,
           const std::string& File = "a.cpp") {
  FixIt X;
  X.Begin = {File, 1, Offset + 1};
  X.FileOffset = Offset;
  X.Length = Length;
  X.Replacement = Replacement;
  X.Original = Text.substr(Offset, Length);
  return X;
}

struct Files {
  std::map<std::string, std::string> Text;
  std::optional<std::string> operator()(const std::string& F) const {
    auto It = Text.find(F);
    if (It == Text.end()) return std::nullopt;
    return It->second;
  }
};

const std::string kText = "std::cout << x;\nstd::cout << y;\n";

TEST(FixPlan, AppliesEveryReplacementOfAFinding) {
  Files Fs{{{"a.cpp", kText}}};
  auto Plan = planFixes({finding("c", 1, {edit(kText, 0, 14, "print(x)"), edit(kText, 16, 14, "print(y)")})}, Fs);
  ASSERT_EQ(Plan.Edits.size(), 1u);
  EXPECT_EQ(Plan.Edits[0].NewText, "print(x);\nprint(y);\n");
  EXPECT_TRUE(Plan.Problems.empty());
}

TEST(FixPlan, OverlappingFixesOfTwoFindingsConflictAndNeitherIsApplied) {
  Files Fs{{{"a.cpp", kText}}};
  auto Plan = planFixes(
      {finding("check-a", 1, {edit(kText, 0, 14, "print(x)")}), finding("check-b", 1, {edit(kText, 5, 4, "cerr")}),
       finding("check-c", 2, {edit(kText, 16, 14, "print(y)")})},
      Fs);
  ASSERT_EQ(Plan.Problems.size(), 1u);
  EXPECT_NE(Plan.Problems[0].find("conflicting fixes: check-a at 1:1 and check-b at 1:1"), std::string::npos)
      << Plan.Problems[0];
  ASSERT_EQ(Plan.Edits.size(), 1u);  // the third finding does not touch the conflict
  EXPECT_EQ(Plan.Edits[0].NewText, "std::cout << x;\nprint(y);\n");
}

TEST(FixPlan, DifferentInsertionsAtOneOffsetConflict) {
  Files Fs{{{"a.cpp", kText}}};
  auto Plan =
      planFixes({finding("a", 1, {edit(kText, 0, 0, "/*a*/")}), finding("b", 1, {edit(kText, 0, 0, "/*b*/")})}, Fs);
  EXPECT_EQ(Plan.Problems.size(), 1u);
  EXPECT_TRUE(Plan.Edits.empty());
}

TEST(FixPlan, TheSameEditFromTwoFindingsIsAppliedOnce) {
  Files Fs{{{"a.cpp", kText}}};
  auto Plan = planFixes(
      {finding("a", 1, {edit(kText, 0, 14, "print(x)")}), finding("b", 1, {edit(kText, 0, 14, "print(x)")})}, Fs);
  EXPECT_TRUE(Plan.Problems.empty());
  ASSERT_EQ(Plan.Edits.size(), 1u);
  EXPECT_EQ(Plan.Edits[0].NewText, "print(x);\nstd::cout << y;\n");
  EXPECT_EQ(Plan.Edits[0].Units, 2u);
}

TEST(FixPlan, AFileChangedSinceAnalysisGetsNoFix) {
  Files Fs{{{"a.cpp", "// a new first line\n" + kText}}};
  auto Plan = planFixes({finding("a", 1, {edit(kText, 0, 14, "print(x)")})}, Fs);
  EXPECT_TRUE(Plan.Edits.empty());
  ASSERT_EQ(Plan.Problems.size(), 1u);
  EXPECT_NE(Plan.Problems[0].find("changed since it was analyzed"), std::string::npos);
}

TEST(FixPlan, AReplacementPastTheEndOfTheFileIsRefused) {
  Files Fs{{{"a.cpp", "short"}}};
  auto Plan = planFixes({finding("a", 1, {edit(kText, 10, 4, "x")})}, Fs);
  EXPECT_TRUE(Plan.Edits.empty());
  EXPECT_EQ(Plan.Problems.size(), 1u);
}

TEST(FixPlan, AFindingWithAnUnreadableFileIsNotAppliedAnywhere) {
  Files Fs{{{"a.cpp", kText}}};
  auto Plan = planFixes({finding("a", 1, {edit(kText, 0, 14, "print(x)"), edit(kText, 0, 1, "y", "gone.h")})}, Fs);
  EXPECT_TRUE(Plan.Edits.empty()) << "a finding's fixes are applied together or not at all";
  EXPECT_EQ(Plan.Problems.size(), 1u);
}

using FixWrite = ScratchDirTest;

TEST_F(FixWrite, WritesTheNewTextAndKeepsPermissions) {
  auto A = make("a.cpp", kText);
  ::chmod(A.c_str(), 0640);
  FixPlan Plan;
  Plan.Edits.push_back({A, "print(x);\n", 1});
  std::string Error;
  ASSERT_TRUE(applyFixPlan(Plan, Error)) << Error;
  EXPECT_EQ(slurp(A), "print(x);\n");
  struct stat St{};
  ::stat(A.c_str(), &St);
  EXPECT_EQ(St.st_mode & 07777, 0640u);
  EXPECT_EQ(entries(), 1u) << "no temporary file left behind";
}

TEST_F(FixWrite, WhenOneFileCannotBeWrittenNoFileChanges) {
  auto A = make("a.cpp", kText);
  FixPlan Plan;
  Plan.Edits.push_back({A, "print(x);\n", 1});
  // /proc/version exists, but nobody (not even root) can create a file beside it.
  Plan.Edits.push_back({"/proc/version", "x", 1});
  std::string Error;
  EXPECT_FALSE(applyFixPlan(Plan, Error));
  EXPECT_NE(Error.find("no fix was applied"), std::string::npos) << Error;
  EXPECT_EQ(slurp(A), kText);
  EXPECT_EQ(entries(), 1u) << "the staged file was removed";
}

TEST_F(FixWrite, ASymlinkedSourceStaysALinkAndItsTargetIsFixed) {
  auto Real = make("real.cpp", kText);
  auto Link = (Dir / "link.cpp").string();
  std::filesystem::create_symlink("real.cpp", Link);
  FixPlan Plan;
  Plan.Edits.push_back({Link, "print(x);\n", 1});
  std::string Error;
  ASSERT_TRUE(applyFixPlan(Plan, Error)) << Error;
  EXPECT_TRUE(std::filesystem::is_symlink(Link)) << "the link was replaced by a regular file";
  EXPECT_EQ(slurp(Real), "print(x);\n");
  EXPECT_EQ(entries(), 2u) << "no temporary file left behind";
}

}  // namespace
}  // namespace tracelint
