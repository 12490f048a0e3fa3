#pragma once
// The lines a change touches, from `git diff -U0` (unified diff without context), as
// clang-tidy-diff reads it: for each file of the new side, the ranges of added or changed lines.
// Deleted files and hunks that only delete lines contribute nothing: no line of the new side is
// there to report on.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tracelint {

struct ChangedFile {
  std::string Path;                                  // as the diff names it on its new side, without git's "b/" prefix
  std::vector<std::pair<unsigned, unsigned>> Lines;  // first and last line, 1-based, inclusive
};

// Returns nullopt and sets Error when Text is not a unified diff tracelint can read (a hunk header
// it cannot parse, a hunk before any file).
std::optional<std::vector<ChangedFile>> parseUnifiedDiff(const std::string& Text, std::string& Error);

// The --line-filter JSON that keeps exactly the changed lines of Files, each named by
// Root + "/" + Path.
std::string lineFilterJson(const std::vector<ChangedFile>& Files, const std::string& Root);

}  // namespace tracelint
