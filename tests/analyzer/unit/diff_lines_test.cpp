// Reading `git diff -U0` (core/DiffLines.h).
#include <gtest/gtest.h>

#include "core/DiffLines.h"

namespace tracelint {
namespace {

TEST(DiffLines, ChangedLinesOfTheNewSide) {
  std::string Diff =
      "diff --git a/src/a.cpp b/src/a.cpp\nindex 1..2 100644\n--- a/src/a.cpp\n+++ b/src/a.cpp\n"
      "@@ -3 +3 @@ int x;\n-a\n+b\n@@ -10,0 +11,2 @@\n+c\n+d\n@@ -20,3 +22,0 @@\n-e\n-f\n-g\n"
      "diff --git a/gone.cpp b/gone.cpp\ndeleted file mode 100644\n--- a/gone.cpp\n+++ /dev/null\n@@ -1,2 +0,0 "
      "@@\n-x\n-y\n"
      "diff --git \"a/caf\\303\\251 x.cpp\" \"b/caf\\303\\251 x.cpp\"\n--- \"a/caf\\303\\251 x.cpp\"\n+++ "
      "\"b/caf\\303\\251 x.cpp\"\n"
      "@@ -0,0 +1 @@\n+z\n";
  std::string Error;
  auto Files = parseUnifiedDiff(Diff, Error);
  ASSERT_TRUE(Files) << Error;
  ASSERT_EQ(Files->size(), 2u);
  EXPECT_EQ((*Files)[0].Path, "src/a.cpp");
  std::vector<std::pair<unsigned, unsigned>> Expected{{3, 3}, {11, 12}};  // the pure deletion adds nothing
  EXPECT_EQ((*Files)[0].Lines, Expected);
  EXPECT_EQ((*Files)[1].Path, "caf\xC3\xA9 x.cpp");
  Expected = {{1, 1}};
  EXPECT_EQ((*Files)[1].Lines, Expected);
}

// Issue 31.4: added and removed lines whose text begins with '+', '-' or '\\' look like headers
// ("+++ ", "--- ") once the diff's own sign is prepended; the hunk's counts say what they are.
TEST(DiffLines, ContentThatLooksLikeHeadersIsContent) {
  std::string Diff =
      "diff --git a/a.cpp b/a.cpp\n--- a/a.cpp\n+++ b/a.cpp\n"
      "@@ -2,3 +2,5 @@\n"
      "--- removed;\n---x;\n-\\ y\n"
      "+++ traces;\n+++traces;\n+-- n;\n+--- m;\n+\\ z\n"
      "\\ No newline at end of file\n"
      "@@ -9,0 +12 @@\n+++ b/evil.cpp\n"
      "@@ -20 +24 @@\n--- a/other\n+@@ -1 +1 @@\n";
  std::string Error;
  auto Files = parseUnifiedDiff(Diff, Error);
  ASSERT_TRUE(Files) << Error;
  ASSERT_EQ(Files->size(), 1u);
  EXPECT_EQ((*Files)[0].Path, "a.cpp");
  std::vector<std::pair<unsigned, unsigned>> Expected{{2, 6}, {12, 12}, {24, 24}};
  EXPECT_EQ((*Files)[0].Lines, Expected);
}

TEST(DiffLines, AHunkShorterThanItsHeaderIsAnError) {
  std::string Error;
  EXPECT_FALSE(parseUnifiedDiff("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n", Error));
  EXPECT_NE(Error.find("ends inside a hunk"), std::string::npos) << Error;
}

TEST(DiffLines, NoChangeIsNoFile) {
  std::string Error;
  auto Files = parseUnifiedDiff("", Error);
  ASSERT_TRUE(Files);
  EXPECT_TRUE(Files->empty());
}

TEST(DiffLines, MalformedInputIsAnErrorNamingTheLine) {
  std::string Error;
  EXPECT_FALSE(parseUnifiedDiff("--- a/x\n+++ b/x\n@@ -1 +banana @@\n", Error));
  EXPECT_NE(Error.find("line 3"), std::string::npos) << Error;
  EXPECT_FALSE(parseUnifiedDiff("@@ -1 +1 @@\n+x\n", Error));
  EXPECT_NE(Error.find("before any '+++'"), std::string::npos) << Error;
}

TEST(DiffLines, LineFilterNamesFilesUnderTheRoot) {
  std::vector<ChangedFile> Files{{"src/a.cpp", {{3, 3}, {11, 12}}}};
  EXPECT_EQ(lineFilterJson(Files, "/repo"), R"([{"lines":[[3,3],[11,12]],"name":"/repo/src/a.cpp"}])");
}

}  // namespace
}  // namespace tracelint
