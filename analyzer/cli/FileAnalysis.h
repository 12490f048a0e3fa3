#pragma once
// One translation unit through Clang and the checks, with nothing shared between files, so the
// driver can run it on a thread of its own process or in a worker process (crash isolation and a
// time budget), and a fuzzer can run it on arbitrary text. A worker sends its FileResult back as
// JSON (toJson/fileResultFromJson): the raw findings, before any filter, because the filters
// (NOLINT, header and line filters, severity) are the driver's.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clang/Tooling/CompilationDatabase.h"
#include "core/Finding.h"
#include "core/Pack.h"
#include "model/Summaries.h"

namespace tracelint {

struct FileResult {
  std::vector<Finding> Findings;
  FileSummaries Summaries;
  std::vector<std::string> Errors;  // compiler errors, at most 20
  std::string CheckFailure;         // a check threw
  int ToolStatus = 0;               // ClangTool::run's result
  // Every file the translation unit read (the main file and its headers), canonical paths: what
  // a stored result depends on (cli/ResultCache.h).
  std::vector<std::string> Dependencies;
  // Paths an #include would have found first, had they existed: a header added there later
  // shadows a dependency, so a stored result is valid only while none of them exists.
  std::vector<std::string> Shadows;
};

struct CompileAdjustments {
  std::vector<std::string> ExtraArgs, ExtraArgsBefore;
  std::string ResourceDir;
  // Texts that replace files on disk (path -> text): an editor's unsaved buffer.
  std::map<std::string, std::string> Overlays;
};

// Parses File with its command from DB (adjusted: unknown g++ flags dropped, syntax only, extra
// arguments, resource dir) and runs Checks on it.
FileResult analyzeFile(const std::string& File, const clang::tooling::CompilationDatabase& DB,
                       const CompileAdjustments& Adj, const Pack& P, const std::vector<std::string>& Checks);

// The same analysis on source text held in memory (Args are compiler arguments, no program name),
// with Headers as extra files (path, contents) visible to #include.
using VirtualFiles = std::vector<std::pair<std::string, std::string>>;
FileResult analyzeCode(const std::string& Code, const std::string& FileName, const std::vector<std::string>& Args,
                       const Pack& P, const std::vector<std::string>& Checks, const VirtualFiles& Headers = {});

// "" when the file was analyzed; otherwise why not, as the "analysis failed: ..." record says it.
std::string failureReason(const FileResult& R);

std::string toJson(const FileResult& R);
std::optional<FileResult> fileResultFromJson(const std::string& Text, std::string& Error);

}  // namespace tracelint
