#pragma once
// What happens to a finding between a check and a report: the header filter, the line filter,
// NOLINT and the severity grade, then the run's order, duplicates and fingerprints. The driver runs
// it on each file's findings and on the cross-file findings of a run; `tracelint merge` runs it on
// the cross-file findings of exported summaries, so a sharded run filters exactly as one run does.
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/Catalogue.h"
#include "core/Finding.h"
#include "core/Glob.h"
#include "core/Nolint.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Regex.h"
#include "output/Emitters.h"

namespace tracelint {

// The per-file settings a finding is filtered and graded with (from the file's configuration and
// the command line).
struct FilterSetup {
  std::string WarningsAsErrors;
  std::string HeaderFilter;
  // Compiled once per file, not per finding. llvm::Regex (POSIX extended, as clang-tidy's
  // --header-filter) runs in time linear in the path: std::regex backtracks exponentially on
  // patterns such as '(a+)+b'.
  std::shared_ptr<llvm::Regex> HeaderRegex;
  GlobList WarningsAsErrorsGlobs;
};

// Sets the regex and globs of S from its strings; false and Error when the header filter is not a
// regular expression.
bool compileFilterSetup(FilterSetup& S, std::string& Error);

// Line filter: [{"name": "file.cpp", "lines": [[first, last], ...]}]; a file not listed is dropped.
struct LineFilter {
  bool Active = false;
  std::vector<std::pair<std::string, std::vector<std::pair<unsigned, unsigned>>>> Files;
  bool keeps(const SourcePoint& P) const;
};

// Parses --line-filter's JSON ("" is no filter); false and Error when it is malformed.
bool parseLineFilter(const std::string& Json, LineFilter& Out, std::string& Error);

class FindingFilter {
 public:
  // Analyzed: the files of the run as given (a finding in one of them passes the header filter);
  // ReadText: a file's text, for NOLINT, carets and fingerprints.
  FindingFilter(const Catalogue& Cat, LineFilter LF, std::set<std::string> Analyzed,
                std::function<std::string(const std::string&)> ReadText);

  // Filters F, found while analyzing File, and grades it into Out (or counts it as suppressed).
  void accept(Finding& F, const FilterSetup& S, const std::string& File, RunResult& Out);
  // The suppression comments of a file, parsed once.
  const NolintIndex& nolintOf(const std::string& File);
  // Every text read so far, by file.
  const std::map<std::string, std::string>& texts() const { return Texts; }
  const std::string& text(const std::string& File);

 private:
  const Catalogue& Cat;
  LineFilter LF;
  std::set<std::string> Analyzed;
  std::function<std::string(const std::string&)> ReadText;
  std::map<std::string, std::string> Texts;
  std::map<std::string, NolintIndex> Nolints;
};

// The end of a run: findings sorted by place, duplicates (a file analyzed twice, a write reached
// through two calls) dropped, fingerprints assigned; files and failures sorted.
void finishRun(RunResult& R, const SourceText& Sources);

}  // namespace tracelint
