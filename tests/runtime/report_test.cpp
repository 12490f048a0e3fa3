// The runtime report (TL_REPORT, docs/runtime-report.md) as a process's life can upset it: a
// relative path and a change of directory, a forked child, text that is not UTF-8.
#include <gtest/gtest.h>
#include <tl/tl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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
  FILE* out = popen(command.c_str(), "r");
  ASSERT_NE(out, nullptr);
  std::string printed;
  char buf[256];
  while (std::fgets(buf, sizeof buf, out)) printed += buf;  // until the child, the last writer, exits
  EXPECT_EQ(pclose(out), 0);
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

}  // namespace
