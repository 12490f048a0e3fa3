#pragma once
#include <string>
#include <vector>

namespace tracelint {

// clang-tidy's check-list semantics: comma-separated globs, '*' matches anything, a leading '-'
// removes; later globs override earlier ones.
class GlobList {
 public:
  explicit GlobList(const std::string& List = "");
  bool contains(const std::string& Name) const;
  bool empty() const { return Items.empty(); }

 private:
  struct Item {
    bool Positive;
    std::string Pattern;
  };
  std::vector<Item> Items;
};

bool globMatch(const std::string& Pattern, const std::string& Name);

}  // namespace tracelint
