#pragma once
// clang-tidy's suppression comments: NOLINT, NOLINTNEXTLINE, NOLINTBEGIN/NOLINTEND, each with an
// optional parenthesised list of check globs.
#include <string>
#include <vector>

namespace tracelint {

class NolintIndex {
 public:
  explicit NolintIndex(const std::string& FileText);
  bool suppresses(unsigned Line, const std::string& CheckId) const;
  // Unmatched NOLINTBEGIN / NOLINTEND, as "line N: message".
  const std::vector<std::string>& errors() const { return Errors; }

 private:
  struct Range {
    unsigned First, Last;
    std::string Globs;  // empty: all checks
  };
  std::vector<Range> Ranges;
  std::vector<std::string> Errors;
};

}  // namespace tracelint
