#pragma once
// `tracelint confirm`: joins a static report (tracelint JSON or SARIF) with runtime reports
// (TL_REPORT files) by rule, traced function and entity, with locations to break ties.
//
// A static finding is *confirmed* when the runtime observed the same rule in the same traced
// function (same creation site, else same name) about a compatible entity (same symbol, or an
// entity the runtime cannot name, such as a variable of a caller's frame). A runtime observation is
// *matched* when some static finding confirms it, else *missed statically*.
#include <optional>
#include <string>
#include <vector>

#include "core/Catalogue.h"
#include "output/Emitters.h"

namespace tracelint {

struct StaticItem {
  std::string Rule, File, Message, Function, FunctionLocation, Entity;
  std::string Fingerprint;  // the static report's, so a joined SARIF matches the alerts it came from
  unsigned Line = 0;
  // The static report's own columns, 1-based UTF-16 code units (SARIF's startColumn and endColumn,
  // LSP's character + 1); 0: not known. The joined SARIF is written without the source text, so its
  // emitter passes them through unchanged and each joined result covers the static result's range.
  unsigned Column = 0;
  unsigned EndLine = 0, EndColumn = 0;
  // "path:line" of the finding's related locations (where a stale value was read, the statement of
  // the traced function that led to a helper): the runtime may observe the hazard there.
  std::vector<std::string> Related;
};

struct RuntimeItem {
  std::string Rule, Function, FunctionLocation, Location, Entity, Message, Report;
  std::vector<std::pair<std::string, std::string>> Details;
  unsigned long long Count = 1;
};

struct ConfirmResult {
  std::vector<StaticItem> Static;
  std::vector<RuntimeItem> Runtime;
  std::vector<int> StaticMatch;  // per static finding: index of the confirming runtime item, or -1
  std::vector<bool> RuntimeMatched;
  // Per static finding: its rule is one the runtime cannot observe (host I/O, host randomness), so
  // no run can confirm it; it is "static only", not "not observed".
  std::vector<bool> StaticOnly;
  unsigned confirmed() const;
  unsigned staticOnly() const;
  unsigned missed() const;
};

// Each returns false with Error naming the file and the problem.
bool loadStaticReport(const std::string& Path, std::vector<StaticItem>& Out, std::string& Error);
bool loadRuntimeReport(const std::string& Path, std::vector<RuntimeItem>& Out, std::string& Error);

ConfirmResult joinReports(std::vector<StaticItem> Static, std::vector<RuntimeItem> Runtime);

std::string confirmText(const ConfirmResult& R);
std::string confirmJson(const ConfirmResult& R);
// The static findings with their verdicts, through output/'s SARIF emitter.
std::string confirmSarif(const ConfirmResult& R, const Catalogue& Cat, const EmitOptions& O);

// The whole subcommand: argv after "confirm". Returns the exit code.
// Argv0 locates the rule catalogue (SARIF's rules[]).
int runConfirm(const std::vector<std::string>& Args, const std::string& ToolVersion, const std::string& Argv0);

}  // namespace tracelint
