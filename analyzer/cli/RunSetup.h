#pragma once
// What a run is set up with for each file, before any file is analyzed: the configuration
// (.tracelint.json, --config, --config-file) merged with the command line's options, the checks it
// enables, the packs it loads. A configuration error stops the run here (exit code 2), as in
// clang-tidy, and --dump-config, --verify-config and --list-checks show what a run would use.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/Driver.h"
#include "cli/FindingFilter.h"
#include "core/Catalogue.h"
#include "core/Pack.h"

namespace tracelint {

// Default when neither configuration nor --checks says anything: every implemented check.
constexpr const char* kDefaultChecks = "trace-*";

// The checks the analyzer implements, enabled by the glob list.
std::vector<std::string> enabledChecks(const std::string& Globs, const Catalogue& Cat);

// False and Error (naming Where) when a glob of List matches no check of the catalogue: a typo in
// --checks or --warnings-as-errors would otherwise turn a check or a CI gate off unnoticed.
bool checkGlobsKnown(const std::string& List, const std::string& Where, const Catalogue& Cat, std::string& Error);

struct PerFileSetup : FilterSetup {
  std::string Checks;
  Pack ThePack;
  std::vector<std::string> PackPaths;  // the files ThePack was read from (the result cache's key)
};

// One setup per file, in order; false and Error (naming the file or option at fault) on a
// configuration error.
bool prepareSetups(const std::vector<std::string>& Files, const DriverOptions& Opts, const Catalogue& Cat,
                   std::vector<PerFileSetup>& Setups, std::string& Error);

// The settings a run would use for File (configuration, command line, packs) as JSON, for
// --dump-config; nullopt and Error on a configuration error.
std::optional<nlohmann::json> effectiveConfig(const std::string& File, const DriverOptions& Opts, const Catalogue& Cat,
                                              std::string& Error);

}  // namespace tracelint
