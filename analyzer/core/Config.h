#pragma once
// .tracelint.json: clang-tidy's configuration keys, in JSON. Looked up from each file's directory
// upward; InheritParentConfig merges the parent's configuration under the child's.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tracelint {

struct Config {
  std::optional<std::string> Checks;
  std::optional<std::string> WarningsAsErrors;
  std::optional<std::string> HeaderFilterRegex;
  std::vector<std::string> Packs;  // pack names (rules/packs/<name>.json) or paths
  std::map<std::string, std::string> CheckOptions;
  // "path:line:col" of each CheckOptions key: options are checked against the catalogue later, by
  // the driver, and the error must still point into the file.
  std::map<std::string, std::string> CheckOptionSites;
  bool InheritParentConfig = false;
  std::vector<std::string> Sources;  // files that contributed, nearest first

  // Values of `Child` win; Checks and WarningsAsErrors are appended as clang-tidy does.
  static Config merge(const Config& Parent, const Config& Child);
};

// Parses one configuration file; on error, Error names path, line and column.
std::optional<Config> parseConfigFile(const std::string& Path, std::string& Error);
std::optional<Config> parseConfigText(const std::string& Text, const std::string& Path, std::string& Error);

// The effective configuration for a source file (nearest .tracelint.json, with inherited parents).
std::optional<Config> configForFile(const std::string& File, std::string& Error);

}  // namespace tracelint
