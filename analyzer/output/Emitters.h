#pragma once
// One pure function per output format: (findings, catalogue, source text) -> text.
#include <functional>
#include <map>
#include <string>

#include "core/Catalogue.h"
#include "core/Finding.h"

namespace tracelint {

// Source lines by file, for carets and column conversion. A missing line is "".
class SourceText {
 public:
  const std::string &line(const std::string &File, unsigned Line) const;
  void add(const std::string &File, const std::string &Text);
  bool has(const std::string &File) const { return Lines.count(File) != 0; }

 private:
  std::map<std::string, std::vector<std::string>> Lines;
};

struct EmitOptions {
  bool Color = false;
  bool Quiet = false;
  std::string RepoRoot;  // SARIF URIs are made relative to it when they lie beneath
  std::string ToolVersion;
};

std::string emitText(const RunResult &R, const Catalogue &C, const SourceText &S, const EmitOptions &O);
std::string emitJson(const RunResult &R, const Catalogue &C, const SourceText &S, const EmitOptions &O);
std::string emitSarif(const RunResult &R, const Catalogue &C, const SourceText &S, const EmitOptions &O);
// clang-tidy's --export-fixes YAML (clang-apply-replacements reads it).
std::string emitFixesYaml(const RunResult &R, const std::string &MainSourceFile);

std::string ruleHelpUri(const std::string &Id);

// A path as the path part of a URI (RFC 3986): every byte but the unreserved characters and '/' is
// percent-encoded, so '#', '%', '?', spaces and non-ASCII names survive the trip.
std::string percentEncodePath(const std::string &Path);

}  // namespace tracelint
