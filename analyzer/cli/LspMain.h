#pragma once
// `tracelint lsp`: the language server (lsp/LspServer.h) with the CLI's analysis behind it.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/Driver.h"
#include "core/Baseline.h"

namespace tracelint {

struct LspSetup {
  DriverOptions Options;  // as the CLI's, for one file at a time
  // The worker command that analyzes one file (the CLI's own arguments, with the file).
  std::function<std::vector<std::string>(const std::string& File)> WorkerCommand;
  std::string BuildPath;                                       // -p; else the database is found above each file
  std::shared_ptr<clang::tooling::CompilationDatabase> Fixed;  // compiler arguments after --
  std::optional<Baseline> Accepted;
  EmitOptions Emit;
};

int runLanguageServer(const LspSetup& Setup, const Catalogue& Cat);

}  // namespace tracelint
