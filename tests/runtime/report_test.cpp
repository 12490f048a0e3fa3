// The runtime report (TL_REPORT, docs/runtime-report.md) as a process's life can upset it: a
// relative path and a change of directory, a forked child, text that is not UTF-8.
#include <gtest/gtest.h>
#include <tl/tl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "command_output.h"

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

fs::path fresh_directory() {
  std::string templ = (fs::temp_directory_path() / "tl_report_XXXXXX").string();
  const char* made = mkdtemp(templ.data());
  return made ? fs::path(made) : fs::path();
}

// The parent writes <start dir>/rel.json although it changed directory; its child, which exits
// after it, writes rel.<pid>.json beside it instead of replacing the parent's report.
TEST(Report, ARelativePathIsTheStartDirectorysAndAForkedChildWritesItsOwnFile) {
  auto start = fresh_directory();
  ASSERT_FALSE(start.empty());
  fs::create_directory(start / "elsewhere");
  std::string command = "cd '" + start.string() + "' && TL_REPORT=rel.json TL_CHECK_MODE=warn '" +
                        TL_REPORT_FORK_HELPER + "' elsewhere 2>/dev/null";
  int status = -1;
  auto printed = tl_test::command_output(command, &status);  // until the child, the last writer, exits
  EXPECT_EQ(status, 0);
  int child = 0;
  ASSERT_EQ(std::sscanf(printed.c_str(), "child %d", &child), 1) << printed;
  auto parents = read_file(start / "rel.json");
  EXPECT_NE(parents.find("parent_fn"), std::string::npos) << parents;
  EXPECT_EQ(parents.find("child_fn"), std::string::npos) << "the child replaced the parent's report";
  auto childs = read_file(start / ("rel." + std::to_string(child) + ".json"));
  EXPECT_NE(childs.find("child_fn"), std::string::npos) << childs;
  EXPECT_FALSE(fs::exists(start / "elsewhere" / "rel.json"));
  fs::remove_all(start);
}

int g_badly_named_writes = 0;

// A traced function's name is the user's text: a byte that is not UTF-8 was written raw, and the
// whole report was then not JSON (`tracelint confirm` rejected it).
TEST(Report, TextThatIsNotUtf8IsReplacedNotWrittenRaw) {
  tl::clear_observations();
  tl::scoped_check_mode mode(tl::check_mode::warn);
  const std::string name = "step\xff\xfe\x80 \xc3\xa9t\xc3";  // invalid bytes, a valid é, a truncated one
  auto f = tl::function(
      [](const tl::tensor& x) {
        ++g_badly_named_writes;
        return x;
      },
      {.name = name});
  f(tl::ones({1}));
  auto dir = fresh_directory();
  ASSERT_FALSE(dir.empty());
  auto path = dir / "report.json";
  tl::write_report(path.string());
  auto text = read_file(path);
  nlohmann::json report;
  ASSERT_NO_THROW(report = nlohmann::json::parse(text)) << text;
  bool found = false;
  for (const auto& o : report.at("observations")) {
    auto function = o.at("function").get<std::string>();
    if (function.rfind("step", 0) != 0) continue;
    found = true;
    EXPECT_NE(function.find("\xc3\xa9t"), std::string::npos) << "valid UTF-8 is kept";
    EXPECT_NE(function.find("\xef\xbf\xbd"), std::string::npos) << "invalid bytes become U+FFFD";
  }
  EXPECT_TRUE(found) << text;
  EXPECT_EQ(report.at("schema"), "tracelint-runtime-report");
  EXPECT_EQ(report.at("version"), 1);
  fs::remove_all(dir);
}

}  // namespace
