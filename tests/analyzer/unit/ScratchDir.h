#pragma once
// For unit tests that write files: a scratch directory per test, removed afterwards, and whole-file
// reads.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tracelint {

inline std::string slurp(const std::filesystem::path& Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

class ScratchDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Dir = std::filesystem::temp_directory_path() / ("tracelint-unit-" + std::to_string(::getpid()));
    std::filesystem::create_directories(Dir);
  }
  void TearDown() override { std::filesystem::remove_all(Dir); }
  // Files in Dir, to see that nothing temporary is left behind.
  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(Dir), {}));
  }
  std::string make(const std::string& Name, const std::string& Text) {
    auto P = (Dir / Name).string();
    std::ofstream(P, std::ios::binary) << Text;
    return P;
  }
  std::filesystem::path Dir;
};

}  // namespace tracelint
