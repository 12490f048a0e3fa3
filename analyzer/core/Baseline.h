#pragma once
// The baseline: findings a team has accepted, so that CI fails only on new ones. Entries are
// matched by file and fingerprint (core/Fingerprint.h), never by line, so edits elsewhere in a file
// keep its accepted findings accepted. Files are stored relative to the baseline's directory: a
// baseline committed in the repository matches in every checkout, wherever it lies.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/Finding.h"

namespace tracelint {

// Matching is by count, so that no new finding hides behind an accepted one: the findings of a
// file that share a fingerprint's base (rule, traced function, entity, statement text) are all
// accepted while there are no more of them than the baseline accepted. When there are more, the
// baseline cannot know which are new: a finding is then accepted only when an accepted entry has
// its context (the lines around it; failing that, the line above or the line below), each entry
// once, and findings on lines the line filter keeps (changed lines under --diff) only after those
// it leaves out; every other finding of the group is reported. So a group that grew by n reports
// at least n findings, and under --diff the changed lines are the last to be accepted. An entry without a context (a
// baseline of an older tracelint) accepts no finding of a group that has grown.
class Baseline {
 public:
  // Reads a baseline written by render(). Errors name the file, and where possible the line and
  // column, and say what is wrong.
  static std::optional<Baseline> load(const std::string& Path, std::string& Error);

  // The baseline of Findings (their fingerprints and contexts), to be written at Path.
  static std::string render(const std::vector<Finding>& Findings, const std::string& Path);

  // Moves the findings the baseline accepts from R.Findings to R.Accepted; the findings the line
  // filter left out (R.OutsideLineFilter) count towards each group.
  void filter(RunResult& R) const;
  std::size_t size() const { return Size; }

 private:
  std::string Dir;  // absolute: what the entries' files are relative to
  // By (file as stored, fingerprint base): the contexts of the accepted findings ("" when unknown).
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> Groups;
  std::size_t Size = 0;
};

}  // namespace tracelint
