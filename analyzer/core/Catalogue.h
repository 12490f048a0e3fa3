#pragma once
// The rule catalogue (rules/catalogue.json): the single list of rule ids, their texts, default
// severities and precision. Check registration, --list-checks, --explain, the docs index and SARIF
// rules[] all read it; no other list of checks exists.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/Finding.h"

namespace tracelint {

// A message a check reports, by key: the rule id, or the rule id and a variant ("trace-host-read.call").
// Placeholders are the names a pack's template may use ({subject}, {function}, {source}); Default is
// the API-neutral text a pack without "messages" gets.
struct MessageKey {
  std::vector<std::string> Placeholders;
  std::string Default;
};

struct RuleInfo {
  std::string Id;
  std::string Summary;
  std::string Description;
  Severity DefaultSeverity = Severity::Warning;
  std::string Precision;
  std::vector<std::string> Options;  // names a configuration may set as CheckOptions "<Id>.<name>"
  // Whether the tl runtime observes this hazard as it happens ("runtime_observes"; default false):
  // `tracelint confirm` calls the others static only.
  bool RuntimeObserves = false;
};

class Catalogue {
 public:
  // Returns std::nullopt and sets Error (naming the path) when the file is missing or malformed.
  static std::optional<Catalogue> load(const std::string& Path, std::string& Error);
  const RuleInfo* find(const std::string& Id) const;
  const std::vector<RuleInfo>& rules() const { return Rules; }
  // Every rule's message and its variants: the keys a pack's "messages" may name.
  const std::map<std::string, MessageKey>& messageKeys() const { return Messages; }

 private:
  std::vector<RuleInfo> Rules;
  std::map<std::string, MessageKey> Messages;
};

// Where rules/ lives: $TRACELINT_RULES_DIR, then <bin>/../share/tracelint/rules (an install), then
// the source tree the binary was built from.
std::string findRulesDir(const std::string& Argv0);

// Line and column (1-based) of a byte offset in a text, for error messages about JSON files.
std::pair<unsigned, unsigned> lineColumnOf(const std::string& Text, std::size_t Offset);

}  // namespace tracelint
