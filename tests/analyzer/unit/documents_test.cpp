// The editor's text as the language server keeps it (lsp/Documents.h): didChange's two forms.
#include "lsp/Documents.h"

#include <gtest/gtest.h>

namespace tracelint {
namespace {

nlohmann::json change(unsigned L1, unsigned C1, unsigned L2, unsigned C2, const std::string& Text) {
  return {{"range", {{"start", {{"line", L1}, {"character", C1}}}, {"end", {{"line", L2}, {"character", C2}}}}},
          {"text", Text}};
}

TEST(Documents, FullAndIncrementalChanges) {
  std::string Text = "int a;\nint b;\n";
  std::string Error;
  ASSERT_TRUE(applyContentChange(Text, change(1, 0, 1, 0, "// new\n"), Error)) << Error;
  EXPECT_EQ(Text, "int a;\n// new\nint b;\n");
  ASSERT_TRUE(applyContentChange(Text, change(0, 4, 0, 5, "xyz"), Error)) << Error;
  EXPECT_EQ(Text, "int xyz;\n// new\nint b;\n");
  ASSERT_TRUE(applyContentChange(Text, change(0, 0, 2, 0, ""), Error)) << Error;  // across lines
  EXPECT_EQ(Text, "int b;\n");
  ASSERT_TRUE(applyContentChange(Text, change(1, 0, 1, 0, "end"), Error)) << Error;  // at the very end
  EXPECT_EQ(Text, "int b;\nend");
  ASSERT_TRUE(applyContentChange(Text, {{"text", "whole"}}, Error)) << Error;
  EXPECT_EQ(Text, "whole");
}

TEST(Documents, CharactersAreUtf16Units) {
  // 'é' is one UTF-16 unit in two bytes, '😀' two units in four bytes.
  std::string Text = "a\xC3\xA9\xF0\x9F\x98\x80z\n";
  EXPECT_EQ(byteOffsetOf(Text, 0, 1), 1u);
  EXPECT_EQ(byteOffsetOf(Text, 0, 2), 3u);
  EXPECT_EQ(byteOffsetOf(Text, 0, 4), 7u);
  EXPECT_EQ(byteOffsetOf(Text, 0, 99), 8u);  // past the line's end: its end
  EXPECT_EQ(byteOffsetOf(Text, 1, 0), 9u);
  EXPECT_FALSE(byteOffsetOf(Text, 2, 0));
  std::string Error;
  ASSERT_TRUE(applyContentChange(Text, change(0, 4, 0, 5, "Z"), Error)) << Error;
  EXPECT_EQ(Text, "a\xC3\xA9\xF0\x9F\x98\x80Z\n");
}

TEST(Documents, BadChangesAreRefused) {
  std::string Text = "x\n", Error;
  EXPECT_FALSE(applyContentChange(Text, change(5, 0, 5, 0, "y"), Error));
  EXPECT_FALSE(applyContentChange(Text, change(0, 1, 0, 0, "y"), Error));  // end before start
  EXPECT_FALSE(applyContentChange(Text, {{"range", 3}, {"text", "y"}}, Error));
  EXPECT_FALSE(applyContentChange(Text, nlohmann::json::object(), Error));
  EXPECT_EQ(Text, "x\n");
}

}  // namespace
}  // namespace tracelint
