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
  const std::string& line(const std::string& File, unsigned Line) const;
  void add(const std::string& File, const std::string& Text);
  bool has(const std::string& File) const { return Lines.count(File) != 0; }
  // The text from P to the end of the MaxLines-th line (lines joined by '\n').
  std::string textFrom(const SourcePoint& P, unsigned MaxLines) const;

 private:
  std::map<std::string, std::vector<std::string>> Lines;
};

struct EmitOptions {
  bool Color = false;
  bool Quiet = false;
  std::string RepoRoot;  // SARIF URIs are made relative to it when they lie beneath
  std::string ToolVersion;
  std::string ToolName = "tracelint";  // SARIF's tool.driver.name ("tracelint confirm" for joined reports)
  // Where the rule pages are: <DocsBase>/rules/<id>.md is a rule's page (codeDescription, helpUri).
  std::string DocsBase;
};

std::string emitText(const RunResult& R, const Catalogue& C, const SourceText& S, const EmitOptions& O);
std::string emitJson(const RunResult& R, const Catalogue& C, const SourceText& S, const EmitOptions& O);
std::string emitSarif(const RunResult& R, const Catalogue& C, const SourceText& S, const EmitOptions& O);

// The rule pages: --docs-url, else $TRACELINT_DOCS_URL, else the docs beside the rules directory
// in use (share/tracelint/docs when installed, the source tree's docs/ in a build tree) as a
// file URI. A trailing '/' is dropped.
std::string resolveDocsBase(const std::string& Flag, const std::string& RulesDir);
std::string ruleHelpUri(const std::string& DocsBase, const std::string& Id);
// An absolute file URI for Path (made absolute and normalized).
std::string fileUri(const std::string& Path);

// Where F's range ends: the end its check gave, else the end of the word at its start.
SourcePoint findingEnd(const Finding& F, const SourceText& S);
// The end of the word at P (a note's range).
SourcePoint wordEnd(const SourcePoint& P, const SourceText& S);
// The byte offset of P in its file, from the lines held (each counted with its newline).
unsigned fileOffset(const SourcePoint& P, const SourceText& S);

// A path as the path part of a URI (RFC 3986): every byte but the unreserved characters and '/' is
// percent-encoded, so '#', '%', '?', spaces and non-ASCII names survive the trip.
std::string percentEncodePath(const std::string& Path);

}  // namespace tracelint
