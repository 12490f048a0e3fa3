#pragma once
// The files a sharded run hands to `tracelint merge`: --export-summaries (each translation unit's
// effect summaries, the open calls of its traced regions, the settings its cross-file findings are
// filtered with and the texts they point into) and --export-results (the run's findings before the
// cross-file ones, its failures and suppressions, with the texts the findings point into). Both are
// JSON with a "format" name and a "version"; a reader refuses any other version, so a merge never
// misreads a file written by another tracelint. The texts travel with the files because a merge
// (a Bazel action, a CI job) may run where the sources are not.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/Finding.h"
#include "model/Summaries.h"

namespace tracelint {

// Bumped whenever the JSON form of a summary, a finding or a result changes (cli/ResultJson.h).
constexpr int kExportVersion = 2;

struct UnitSummary {
  std::string File;      // as the run named it (absolute)
  std::string RealPath;  // with links resolved: how findings name it
  std::string HeaderFilter, WarningsAsErrors;
  FileSummaries Summaries;
  std::map<std::string, std::string> Sources;  // by file: the texts its writes and calls point into
};

struct SummaryExport {
  std::string LineFilterJson;  // the run's --line-filter ("" when none)
  std::vector<UnitSummary> Units;
};

struct ResultExport {
  RunResult Result;
  std::map<std::string, std::string> Sources;  // by file: the texts its findings point into
};

std::string renderSummaries(const SummaryExport& S, const std::string& ToolVersion);
std::string renderResults(const ResultExport& R, const std::string& ToolVersion);

// One file given to `tracelint merge`: summaries or results, whichever it holds.
struct ExportFile {
  std::optional<SummaryExport> Summaries;
  std::optional<ResultExport> Results;
};

// Reads Path; false and Error (naming the file) when it is missing, not JSON, not one of the two
// formats, of another version, written by another tracelint than ToolVersion (its checks may
// differ), or malformed (a line number below 1 included).
bool readExportFile(const std::string& Path, const std::string& ToolVersion, ExportFile& Out, std::string& Error);

}  // namespace tracelint
