#pragma once
// The baseline: findings a team has accepted, so that CI fails only on new ones. Entries are
// matched by file and fingerprint (core/Fingerprint.h), never by line, so edits elsewhere in a file
// keep its accepted findings accepted. Files are stored relative to the baseline's directory: a
// baseline committed in the repository matches in every checkout, wherever it lies.
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/Finding.h"

namespace tracelint {

class Baseline {
 public:
  // Reads a baseline written by render(). Errors name the file, and where possible the line and
  // column, and say what is wrong.
  static std::optional<Baseline> load(const std::string& Path, std::string& Error);

  // The baseline of Findings (their Fingerprint set), to be written at Path.
  static std::string render(const std::vector<Finding>& Findings, const std::string& Path);

  // Removes the findings the baseline holds from Findings; returns how many.
  std::size_t filter(std::vector<Finding>& Findings) const;
  std::size_t size() const { return Entries.size(); }

 private:
  std::string Dir;                                        // absolute: what the entries' files are relative to
  std::set<std::pair<std::string, std::string>> Entries;  // (file as stored, fingerprint)
};

}  // namespace tracelint
