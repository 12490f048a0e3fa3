#pragma once
// clang-tidy's suppression comments: NOLINT, NOLINTNEXTLINE, NOLINTBEGIN/NOLINTEND, each with an
// optional parenthesised list of check globs.
#include <string>
#include <vector>

namespace tracelint {

// An unmatched NOLINTBEGIN or NOLINTEND: an error in the file, reported at its line.
struct NolintError {
  unsigned Line = 0;
  std::string Message;
};

class NolintIndex {
 public:
  explicit NolintIndex(const std::string& FileText);
  bool suppresses(unsigned Line, const std::string& CheckId) const;
  const std::vector<NolintError>& errors() const { return Errors; }

 private:
  struct Range {
    unsigned First, Last;
    std::string Globs;  // empty: all checks
  };
  std::vector<Range> Ranges;
  std::vector<NolintError> Errors;
};

}  // namespace tracelint
