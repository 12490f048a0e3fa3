#include "cli/LspMain.h"

#include <unistd.h>

#include "lsp/LspServer.h"

namespace tracelint {

namespace {

LspAnalysis analyze(const LspSetup& Setup, const Catalogue& Cat, const std::string& Path) {
  LspAnalysis Result;
  std::string Error;
  std::shared_ptr<clang::tooling::CompilationDatabase> DB = Setup.Fixed;
  if (!DB && !Setup.BuildPath.empty())
    DB = clang::tooling::CompilationDatabase::loadFromDirectory(Setup.BuildPath, Error);
  else if (!DB)
    DB = clang::tooling::CompilationDatabase::autoDetectFromSource(Path, Error);
  if (!DB) {
    Result.Problems.push_back(Path + ": no compilation database (" + Error +
                              "); start the server with -p <build dir> or compiler arguments after --");
    return Result;
  }
  auto Opts = Setup.Options;
  Opts.SelfCommand = Setup.WorkerCommand(Path);
  Opts.Isolate = true;  // a crash on one file must not take the editor's server down
  DriverOutput Out;
  if (!runAnalysis({Path}, *DB, Opts, Cat, Out, Error)) {
    Result.Problems.push_back(Error);
    return Result;
  }
  if (Setup.Accepted) Setup.Accepted->filter(Out.Result);
  for (const auto& F : Out.Result.Failures) Result.Problems.push_back(F.File + ": analysis failed: " + F.Reason);
  // The CLI's JSON report, so the editor sees exactly the CLI's findings.
  Result.Files = nlohmann::json::parse(emitJson(Out.Result, Cat, Out.Sources, Setup.Emit))["files"];
  return Result;
}

}  // namespace

int runLanguageServer(const LspSetup& Setup, const Catalogue& Cat) {
  LspTransport Transport(STDIN_FILENO, STDOUT_FILENO);
  LspHooks Hooks;
  Hooks.Version = Setup.Emit.ToolVersion;
  Hooks.Analyze = [&](const std::string& Path) { return analyze(Setup, Cat, Path); };
  Hooks.RuleMarkdown = [&](const std::string& Id) { return Cat.find(Id) ? Setup.RulePage(Id) : std::string(); };
  LspServer Server(Transport, std::move(Hooks));
  return Server.run();
}

}  // namespace tracelint
