#include "cli/LspMain.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "lsp/LspServer.h"

namespace tracelint {

namespace {

// clangd's fallback for a file no compilation database describes: the command of a file nearby in
// the database (Clang's interpolation), else plain default flags, so an editor always gets the
// analysis, with one note saying which flags were used.
class FallbackDatabase : public clang::tooling::CompilationDatabase {
 public:
  explicit FallbackDatabase(std::unique_ptr<clang::tooling::CompilationDatabase> Primary)
      : Primary(Primary ? clang::tooling::inferMissingCompileCommands(std::move(Primary)) : nullptr) {}
  std::vector<clang::tooling::CompileCommand> getCompileCommands(llvm::StringRef File) const override {
    if (Primary)
      if (auto Commands = Primary->getCompileCommands(File); !Commands.empty()) return Commands;
    Defaulted = true;
    auto Dir = std::filesystem::path(File.str()).parent_path().string();
    return {clang::tooling::CompileCommand(Dir, File, {"clang++", "-std=c++20", File.str()}, "")};
  }
  std::vector<std::string> getAllFiles() const override {
    return Primary ? Primary->getAllFiles() : std::vector<std::string>{};
  }
  mutable bool Defaulted = false;

 private:
  std::unique_ptr<clang::tooling::CompilationDatabase> Primary;
};

LspAnalysis analyze(const LspSetup& Setup, const Catalogue& Cat, const std::string& Path, const std::string& Text) {
  LspAnalysis Result;
  std::string Error;
  std::shared_ptr<clang::tooling::CompilationDatabase> DB = Setup.Fixed;
  std::shared_ptr<FallbackDatabase> Fallback;
  if (!DB) {
    std::unique_ptr<clang::tooling::CompilationDatabase> Found;
    if (!Setup.BuildPath.empty())
      Found = clang::tooling::CompilationDatabase::loadFromDirectory(Setup.BuildPath, Error);
    else  // compile_commands.json or compile_flags.txt above the file
      Found = clang::tooling::CompilationDatabase::autoDetectFromSource(Path, Error);
    DB = Fallback = std::make_shared<FallbackDatabase>(std::move(Found));
  }
  // The editor's text reaches the worker through a private file: it may differ from the disk.
  llvm::SmallString<128> OverlayPath;
  if (auto EC = llvm::sys::fs::createTemporaryFile("tracelint-lsp-buffer", "json", OverlayPath)) {
    Result.Problems.push_back("cannot create a temporary file for the editor's text: " + EC.message());
    return Result;
  }
  llvm::FileRemover RemoveOverlay(OverlayPath);
  auto Opts = Setup.Options;
  Opts.Overlays[Path] = Text;
  std::error_code EC;
  if (auto Real = std::filesystem::canonical(Path, EC); !EC && Real.string() != Path)
    Opts.Overlays[Real.string()] = Text;
  {
    std::ofstream Out(std::string(OverlayPath), std::ios::binary | std::ios::trunc);
    Out << nlohmann::json(Opts.Overlays).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!Out) {
      Result.Problems.push_back("cannot write the editor's text to " + std::string(OverlayPath));
      return Result;
    }
  }
  Opts.SelfCommand = Setup.WorkerCommand(Path);
  Opts.SelfCommand.insert(Opts.SelfCommand.begin() + 1, "--internal-overlays=" + std::string(OverlayPath));
  Opts.Isolate = true;  // a crash on one file must not take the editor's server down
  DriverOutput Out;
  if (!runAnalysis({Path}, *DB, Opts, Cat, Out, Error)) {
    Result.Problems.push_back(Error);
    return Result;
  }
  if (Fallback && Fallback->Defaulted)
    Result.Notes.push_back(Path +
                           ": no compile command in a compilation database or compile_flags.txt; analyzed "
                           "with the default flags (-std=c++20)");
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
  Hooks.Analyze = [&](const std::string& Path, const std::string& Text) { return analyze(Setup, Cat, Path, Text); };
  Hooks.RuleSummary = [&](const std::string& Id) {
    const auto* R = Cat.find(Id);
    return R ? R->Summary : std::string();
  };
  LspServer Server(Transport, std::move(Hooks));
  return Server.run();
}

}  // namespace tracelint
