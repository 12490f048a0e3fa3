#pragma once
// Runs the selected checks over files: one ClangTool per file (so -j N analyzes files in parallel
// and one file's failure is that file's record), then filters (header filter, line filter, NOLINT,
// check globs) and grades severities.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "clang/Tooling/CompilationDatabase.h"
#include "cli/ExportFile.h"
#include "core/Catalogue.h"
#include "core/Finding.h"
#include "core/Pack.h"
#include "output/Emitters.h"

namespace tracelint {

struct DriverOptions {
  std::string Checks;  // from --checks, appended to the configuration's
  std::string WarningsAsErrors;
  std::string HeaderFilter;  // regex; empty: only the main files
  std::string LineFilterJson;
  std::vector<std::string> ExtraArgs, ExtraArgsBefore;
  std::string ResourceDir;
  std::string ConfigText;  // --config
  std::string ConfigFile;  // --config-file
  std::string RulesDir;
  unsigned Jobs = 1;
  // Crash isolation: each file is analyzed in a worker process (this binary run as SelfCommand plus
  // the worker options; one per job, analyzing one file after another, replaced after a crash or a
  // stop), stopped after FileTimeoutSeconds (0: no limit) on one file.
  bool Isolate = true;
  unsigned FileTimeoutSeconds = 300;
  std::vector<std::string> SelfCommand;  // executable path, then this run's arguments
  std::string CacheDir;                  // results of unchanged files kept here; "" disables (cli/ResultCache.h)
  // Keep what --export-summaries and --export-results write (DriverOutput's Summaries and Local).
  bool Export = false;
  // "[n/N] file" on stderr as each file of a run of several finishes, as run-clang-tidy prints.
  bool Progress = false;
  // Texts analyzed instead of the files on disk (path -> text): the editor's buffers. The result
  // cache is not used with them. Workers read them from OverlayFile (JSON: {path: text}).
  std::map<std::string, std::string> Overlays;
  std::string OverlayFile;
};

struct DriverOutput {
  RunResult Result;
  SourceText Sources;
  unsigned CachedFiles = 0;  // files whose result came from the result cache
  // With DriverOptions::Export: the findings before the cross-file ones, and every file's summaries.
  ResultExport Local;
  SummaryExport Summaries;
};

// Returns false and sets Error for usage or configuration errors (exit code 2).
bool runAnalysis(const std::vector<std::string>& Files, const clang::tooling::CompilationDatabase& DB,
                 const DriverOptions& Opts, const Catalogue& Cat, DriverOutput& Out, std::string& Error);

// Worker mode: serves the parent's requests on the socket Fd until it closes. A request names one of
// Files by index (and, for a second pass, a file of other files' capture wrappers); the answer is
// that file's raw result (before filters) as one line of JSON. Returns the process exit code.
int serveWorker(const std::vector<std::string>& Files, int Fd, const clang::tooling::CompilationDatabase& DB,
                const DriverOptions& Opts, const Catalogue& Cat);

// Resource dir for Clang's builtin headers: --resource-dir, $TRACELINT_RESOURCE_DIR,
// <bin>/../lib/clang/<major> when it holds stddef.h, then the one recorded at configure time.
std::string resolveResourceDir(const std::string& Flag);

// Parallel jobs for -j Requested over Files files: no more than the files, the CPUs this process may
// run on (sched_getaffinity) and kMaxJobs; at least 1.
constexpr std::size_t kMaxJobs = 256;
unsigned availableCpus();
unsigned effectiveJobs(unsigned Requested, std::size_t Files);

}  // namespace tracelint
