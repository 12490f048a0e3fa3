// JSON positions (core/JsonFile): places of members and elements, repeated keys, bounded integers.
#include <gtest/gtest.h>

#include "core/Config.h"
#include "core/JsonFile.h"

namespace tracelint {
namespace {

TEST(JsonPositions, MembersAndElementsByPointer) {
  std::string Text = "{\n  \"a\": [1, {\"b\": 2}],\n  \"c/d\": \"x\"\n}";
  JsonPositions P(Text);
  EXPECT_EQ(P.site("f", "/a"), "f:2:3");
  EXPECT_EQ(P.site("f", "/a/0"), "f:2:9");
  EXPECT_EQ(P.site("f", "/a/1/b"), "f:2:13");
  EXPECT_EQ(P.site("f", "/c~1d"), "f:3:3");
  EXPECT_EQ(P.site("f", "/nowhere"), "f:1:1");
  EXPECT_EQ(P.duplicate(), "");
}

TEST(JsonPositions, RepeatedKeysAreFoundInAnyObject) {
  std::string Text = "{\"a\": {\"k\": 1, \"k\": 2}}";
  JsonPositions P(Text);
  EXPECT_EQ(P.duplicate(), "/a/k");
  EXPECT_EQ(P.site("f", P.duplicate()), "f:1:16");
  // The same key in two objects is not a repetition; an escaped spelling of one key is.
  EXPECT_EQ(JsonPositions("[{\"k\": 1}, {\"k\": 2}]").duplicate(), "");
  EXPECT_EQ(JsonPositions("{\"k\": 1, \"\\u006b\": 2}").duplicate(), "/k");
}

TEST(JsonPositions, DeepNestingAndABomCostNothing) {
  std::string Deep(100000, '[');
  Deep += std::string(100000, ']');
  EXPECT_EQ(JsonPositions(Deep).duplicate(), "");
  EXPECT_EQ(JsonPositions("\xEF\xBB\xBF{\"a\": 1, \"a\": 2}").duplicate(), "/a");
}

TEST(JsonFile, ParseRejectsRepeatedKeysOnlyWhenAsked) {
  nlohmann::json J;
  std::string Error;
  EXPECT_TRUE(parseJsonText("{\"a\": 1, \"a\": 2}", "f.json", "thing", J, Error));
  EXPECT_FALSE(parseJsonText("{\"a\": 1,\n \"a\": 2}", "f.json", "thing", J, Error, true));
  EXPECT_EQ(Error, "f.json:2:2: malformed thing: 'a' is given twice");
}

TEST(JsonFile, ReadablePointer) {
  EXPECT_EQ(readablePointer("/entry_points/0/callable_arg"), "entry_points[0].callable_arg");
  EXPECT_EQ(readablePointer("/a~1b/c~0"), "a/b.c~");
  EXPECT_EQ(readablePointer(""), "");
}

TEST(JsonFile, BoundedIntegerNeverConvertsOutOfRange) {
  EXPECT_EQ(boundedInteger(nlohmann::json(7), 10, "n"), 7u);
  for (const char* Bad : {"1.5e87", "1.5", "-1", "11", "\"1\"", "18446744073709551615"})
    EXPECT_THROW(boundedInteger(nlohmann::json::parse(Bad), 10, "n"), std::out_of_range) << Bad;
}

TEST(Config, RepeatedKeysAndCheckOptionSites) {
  std::string Error;
  EXPECT_FALSE(parseConfigText("{ \"Checks\": \"a\",\n  \"Checks\": \"b\" }", "c.json", Error));
  EXPECT_EQ(Error, "c.json:2:3: malformed configuration: 'Checks' is given twice");
  auto C = parseConfigText("{ \"CheckOptions\": {\n  \"x.y\": 1 } }", "c.json", Error);
  ASSERT_TRUE(C) << Error;
  EXPECT_EQ(C->CheckOptionSites.at("x.y"), "c.json:2:3");
  EXPECT_FALSE(parseConfigText("{ \"Checks\": 5 }", "c.json", Error));
  EXPECT_EQ(Error, "c.json:1:3: configuration key 'Checks' must be a string");
}

}  // namespace
}  // namespace tracelint
