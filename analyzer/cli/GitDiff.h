#pragma once
// --diff=<rev>: what `git diff -U0 <rev>` says changed in the repository holding the current
// directory (the working tree against rev, staged and unstaged changes alike).
#include <optional>
#include <string>
#include <vector>

#include "core/DiffLines.h"

namespace tracelint {

struct GitChange {
  std::string Root;  // the repository's top-level directory
  std::vector<ChangedFile> Files;
};

// Returns nullopt and sets Error (git's own message included) when git is missing, the current
// directory is not in a repository, or Rev names no commit.
std::optional<GitChange> changedLines(const std::string& Rev, std::string& Error);

}  // namespace tracelint
