#include "cli/Driver.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "checks/Check.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Driver/Options.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "core/Config.h"
#include "core/Glob.h"
#include "core/Nolint.h"
#include "model/Summaries.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"

namespace tracelint {

using namespace clang;

std::map<std::string, CheckFactory> &checkRegistry() {
  static std::map<std::string, CheckFactory> R;
  return R;
}

SourcePoint CheckContext::point(SourceLocation Loc) const {
  const auto &SM = Ctx.getSourceManager();
  auto FL = SM.getFileLoc(Loc);
  SourcePoint P;
  if (FL.isInvalid()) return P;
  auto Decomp = SM.getDecomposedLoc(FL);
  // Absolute paths: a compile database may name files relative to its directory, and reports,
  // NOLINT lookups and carets must not depend on the current directory.
  if (auto FE = SM.getFileEntryRefForID(Decomp.first)) {
    auto Real = FE->getFileEntry().tryGetRealPathName();
    P.File = Real.empty() ? FE->getName().str() : Real.str();
  }
  P.Line = SM.getLineNumber(Decomp.first, Decomp.second);
  P.Column = SM.getColumnNumber(Decomp.first, Decomp.second);
  return P;
}

std::string resolveResourceDir(const std::string &Flag) {
  namespace fs = std::filesystem;
  if (!Flag.empty()) return Flag;
  if (const char *Env = std::getenv("TRACELINT_RESOURCE_DIR"); Env && *Env) return Env;
  std::error_code EC;
  auto Self = fs::canonical("/proc/self/exe", EC);
  if (!EC) {
    auto Beside = Self.parent_path().parent_path() / "lib" / "clang" / TRACELINT_LLVM_MAJOR;
    if (fs::exists(Beside / "include" / "stddef.h", EC)) return Beside.string();
  }
  return TRACELINT_CLANG_RESOURCE_DIR;
}

std::vector<std::string> enabledChecks(const std::string &Globs, const Catalogue &Cat) {
  GlobList G(Globs);
  std::vector<std::string> Out;
  for (const auto &R : Cat.rules())
    if (checkRegistry().count(R.Id) && G.contains(R.Id)) Out.push_back(R.Id);
  return Out;
}

namespace {

// g++ compile databases carry flags clang does not know; drop them with clang's own option table.
tooling::ArgumentsAdjuster dropUnknownArguments() {
  return [](const tooling::CommandLineArguments &Args, StringRef) {
    if (Args.empty()) return Args;
    const auto &Table = driver::getDriverOptTable();
    std::vector<const char *> Argv;
    for (std::size_t I = 1; I < Args.size(); ++I) Argv.push_back(Args[I].c_str());
    unsigned MissingIndex = 0, MissingCount = 0;
    auto Parsed = Table.ParseArgs(Argv, MissingIndex, MissingCount);
    std::set<std::string> Unknown;
    for (const auto *A : Parsed.filtered(driver::options::OPT_UNKNOWN)) Unknown.insert(A->getAsString(Parsed));
    tooling::CommandLineArguments Out{Args[0]};
    for (std::size_t I = 1; I < Args.size(); ++I)
      if (!Unknown.count(Args[I])) Out.push_back(Args[I]);
    return Out;
  };
}

struct FileResult {
  std::vector<Finding> Findings;
  FileSummaries Summaries;
  std::vector<std::string> Errors;  // compiler errors
  std::string CheckFailure;
};

class ErrorCollector : public DiagnosticConsumer {
 public:
  explicit ErrorCollector(FileResult &R) : R(R) {}
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error) return;
    SmallString<256> Msg;
    Info.FormatDiagnostic(Msg);
    std::string Where;
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      auto PL = Info.getSourceManager().getPresumedLoc(Info.getLocation());
      if (PL.isValid()) Where = std::string(PL.getFilename()) + ":" + std::to_string(PL.getLine()) + ":" + std::to_string(PL.getColumn()) + ": ";
    }
    if (R.Errors.size() < 20) R.Errors.push_back(Where + Msg.str().str());
  }

 private:
  FileResult &R;
};

class TraceConsumer : public ASTConsumer {
 public:
  TraceConsumer(const Pack &P, const std::vector<std::string> &Checks, FileResult &R) : P(P), Checks(Checks), R(R) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    // No C++ exception may cross Clang's frames: everything a check throws ends here.
    try {
      TracedRegionModel Model(Ctx, P);
      if (std::find(Checks.begin(), Checks.end(), "trace-host-mutation") != Checks.end()) summarizeFile(Ctx, Model, R.Summaries);
      for (const auto &Id : Checks) {
        auto C = checkRegistry().at(Id)();
        CheckContext CC{Ctx, Model, [&](Finding F) { R.Findings.push_back(std::move(F)); }};
        C->run(CC);
      }
    } catch (const std::exception &E) {
      R.CheckFailure = std::string("a check failed: ") + E.what();
    } catch (...) {
      R.CheckFailure = "a check failed with an unknown exception";
    }
  }

 private:
  const Pack &P;
  const std::vector<std::string> &Checks;
  FileResult &R;
};

class TraceAction : public ASTFrontendAction {
 public:
  TraceAction(const Pack &P, const std::vector<std::string> &Checks, FileResult &R) : P(P), Checks(Checks), R(R) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &, StringRef) override {
    return std::make_unique<TraceConsumer>(P, Checks, R);
  }

 private:
  const Pack &P;
  const std::vector<std::string> &Checks;
  FileResult &R;
};

class TraceActionFactory : public tooling::FrontendActionFactory {
 public:
  TraceActionFactory(const Pack &P, const std::vector<std::string> &Checks, FileResult &R) : P(P), Checks(Checks), R(R) {}
  std::unique_ptr<FrontendAction> create() override { return std::make_unique<TraceAction>(P, Checks, R); }

 private:
  const Pack &P;
  const std::vector<std::string> &Checks;
  FileResult &R;
};

std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

struct PerFileSetup {
  std::string Checks;
  std::string WarningsAsErrors;
  std::string HeaderFilter;
  std::regex HeaderRegex;  // compiled once per file, not per finding
  GlobList WarningsAsErrorsGlobs;
  Pack ThePack;
};

// Line filter: [{"name": "file.cpp", "lines": [[first, last], ...]}]; a file not listed is dropped.
struct LineFilter {
  bool Active = false;
  std::vector<std::pair<std::string, std::vector<std::pair<unsigned, unsigned>>>> Files;
  bool keeps(const SourcePoint &P) const {
    if (!Active) return true;
    for (const auto &[Name, Ranges] : Files) {
      if (!(P.File == Name || P.File.ends_with("/" + Name))) continue;
      if (Ranges.empty()) return true;
      for (auto [A, B] : Ranges)
        if (P.Line >= A && P.Line <= B) return true;
    }
    return false;
  }
};

}  // namespace

bool runAnalysis(const std::vector<std::string> &Files, const tooling::CompilationDatabase &DB, const DriverOptions &Opts,
                 const Catalogue &Cat, DriverOutput &Out, std::string &Error) {
  for (const auto &[Id, Factory] : checkRegistry()) {
    if (!Cat.find(Id)) {
      Error = "internal error: check '" + Id + "' is registered but not in the rule catalogue";
      return false;
    }
  }
  LineFilter LF;
  if (!Opts.LineFilterJson.empty()) {
    try {
      auto J = nlohmann::json::parse(Opts.LineFilterJson);
      LF.Active = true;
      for (const auto &F : J) {
        std::vector<std::pair<unsigned, unsigned>> Ranges;
        for (const auto &R : F.value("lines", nlohmann::json::array())) Ranges.emplace_back(R.at(0).get<unsigned>(), R.at(1).get<unsigned>());
        LF.Files.emplace_back(F.at("name").get<std::string>(), Ranges);
      }
    } catch (const std::exception &E) {
      Error = std::string("--line-filter: malformed JSON: ") + E.what();
      return false;
    }
  }
  std::optional<Config> Fixed;
  if (!Opts.ConfigText.empty()) {
    Fixed = parseConfigText(Opts.ConfigText, "--config", Error);
    if (!Fixed) return false;
  } else if (!Opts.ConfigFile.empty()) {
    Fixed = parseConfigFile(Opts.ConfigFile, Error);
    if (!Fixed) return false;
  }
  // Configuration and packs are resolved up front, so a configuration error stops the run before
  // any file is analyzed (exit code 2), as clang-tidy does.
  std::vector<PerFileSetup> Setups;
  std::map<std::string, Pack> PackCache;
  for (const auto &File : Files) {
    auto C = Fixed ? Fixed : configForFile(File, Error);
    if (!C) return false;
    PerFileSetup S;
    S.Checks = C->Checks.value_or(kDefaultChecks);
    if (!Opts.Checks.empty()) S.Checks += "," + Opts.Checks;
    S.WarningsAsErrors = C->WarningsAsErrors.value_or("");
    if (!Opts.WarningsAsErrors.empty()) S.WarningsAsErrors += "," + Opts.WarningsAsErrors;
    S.WarningsAsErrorsGlobs = GlobList(S.WarningsAsErrors);
    S.HeaderFilter = !Opts.HeaderFilter.empty() ? Opts.HeaderFilter : C->HeaderFilterRegex.value_or("");
    try {
      S.HeaderRegex = std::regex(S.HeaderFilter);
    } catch (const std::regex_error &E) {
      Error = "header filter '" + S.HeaderFilter + "' is not a valid regular expression: " + E.what();
      return false;
    }
    auto PackNames = C->Packs.empty() ? std::vector<std::string>{"tl"} : C->Packs;
    for (const auto &Name : PackNames) {
      auto Path = resolvePackPath(Name, Opts.RulesDir);
      auto It = PackCache.find(Path);
      if (It == PackCache.end()) {
        auto P = loadPack(Path, Error);
        if (!P) return false;
        It = PackCache.emplace(Path, *P).first;
      }
      S.ThePack.add(It->second);
    }
    Setups.push_back(std::move(S));
  }

  std::map<std::string, std::string> Texts;
  std::map<std::string, NolintIndex> Nolints;  // one parse of each file's suppression comments
  std::string ResourceDir = resolveResourceDir(Opts.ResourceDir);
  std::mutex Mu;
  std::map<std::string, FunctionSummary> AllSummaries;
  std::vector<std::pair<OpenCall, std::size_t>> OpenCalls;  // with the index of the file they come from
  std::set<std::string> Analyzed(Files.begin(), Files.end());
  // The suppression comments of a file, parsed once; called under Mu.
  auto NolintOf = [&](const std::string &File) -> const NolintIndex & {
    auto It = Nolints.find(File);
    if (It == Nolints.end()) {
      if (!Texts.count(File)) Texts[File] = readFile(File);
      It = Nolints.emplace(File, NolintIndex(Texts[File])).first;
    }
    return It->second;
  };
  // Filters a finding (header filter, line filter, NOLINT) and grades it; called under Mu.
  auto Accept = [&](Finding &F, const PerFileSetup &S, const std::string &File) {
    std::error_code EC;
    bool MainFile = std::filesystem::equivalent(F.Where.File, File, EC) || Analyzed.count(F.Where.File);
    if (!MainFile && (S.HeaderFilter.empty() || !std::regex_search(F.Where.File, S.HeaderRegex))) return;
    if (!LF.keeps(F.Where)) return;
    if (!Texts.count(F.Where.File)) Texts[F.Where.File] = readFile(F.Where.File);
    for (const auto &N : F.Notes)
      if (!Texts.count(N.Where.File)) Texts[N.Where.File] = readFile(N.Where.File);
    if (NolintOf(F.Where.File).suppresses(F.Where.Line, F.CheckId)) {
      ++Out.Result.Suppressed;
      return;
    }
    const auto *Rule = Cat.find(F.CheckId);
    F.Level = Rule ? Rule->DefaultSeverity : Severity::Warning;
    if (F.Level == Severity::Warning && S.WarningsAsErrorsGlobs.contains(F.CheckId)) F.Level = Severity::Error;
    Out.Result.Findings.push_back(std::move(F));
  };
  std::size_t Next = 0;
  auto Worker = [&] {
    for (;;) {
      std::size_t I;
      {
        std::lock_guard<std::mutex> L(Mu);
        if (Next >= Files.size()) return;
        I = Next++;
      }
      const auto &File = Files[I];
      const auto &S = Setups[I];
      FileResult FR;
      std::string Failure;
      std::error_code EC;
      if (!std::filesystem::exists(File, EC)) {
        Failure = "file not found";
      } else if (DB.getCompileCommands(File).empty()) {
        Failure = "no compile command for this file in the compilation database";
      } else {
        auto Checks = enabledChecks(S.Checks, Cat);
        tooling::ClangTool Tool(DB, {File});
        Tool.appendArgumentsAdjuster(dropUnknownArguments());
        Tool.appendArgumentsAdjuster(tooling::getClangStripOutputAdjuster());
        Tool.appendArgumentsAdjuster(tooling::getClangSyntaxOnlyAdjuster());
        std::vector<std::string> Before = Opts.ExtraArgsBefore;
        Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(Before, tooling::ArgumentInsertPosition::BEGIN));
        std::vector<std::string> After = Opts.ExtraArgs;
        After.push_back("-Wno-unknown-warning-option");
        After.push_back("-Qunused-arguments");
        Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(After, tooling::ArgumentInsertPosition::END));
        Tool.appendArgumentsAdjuster([ResourceDir](const tooling::CommandLineArguments &Args, StringRef) {
          for (const auto &A : Args)
            if (A.rfind("-resource-dir", 0) == 0) return Args;
          auto Out = Args;
          Out.insert(Out.begin() + (Out.empty() ? 0 : 1), "-resource-dir=" + ResourceDir);
          return Out;
        });
        ErrorCollector Diags(FR);
        Tool.setDiagnosticConsumer(&Diags);
        TraceActionFactory Factory(S.ThePack, Checks, FR);
        int RC = Tool.run(&Factory);
        if (!FR.CheckFailure.empty()) Failure = FR.CheckFailure;
        else if (!FR.Errors.empty()) Failure = "did not parse: " + FR.Errors.front() + (FR.Errors.size() > 1 ? " (and " + std::to_string(FR.Errors.size() - 1) + " more errors)" : "");
        else if (RC != 0) Failure = "the compiler could not run on this file";
      }
      std::lock_guard<std::mutex> L(Mu);
      Out.Result.FilesAnalyzed.push_back(File);
      if (!Failure.empty()) Out.Result.Failures.push_back({File, Failure});
      for (auto &F : FR.Findings) Accept(F, S, File);
      for (auto &[Usr, Summary] : FR.Summaries.Functions) AllSummaries.emplace(Usr, std::move(Summary));
      for (auto &O : FR.Summaries.OpenCalls) OpenCalls.emplace_back(std::move(O), I);
      // Unmatched NOLINTBEGIN/END in the main file are errors, as in clang-tidy.
      if (std::filesystem::exists(File, EC)) {
        for (const auto &E : NolintOf(File).errors()) {
          Finding F;
          F.CheckId = "tracelint-nolint";
          F.Level = Severity::Error;
          auto Line = static_cast<unsigned>(std::stoul(E.substr(5)));
          F.Where = {File, Line, 1};
          F.Message = E.substr(E.find(':') + 2);
          Out.Result.Findings.push_back(std::move(F));
        }
      }
    }
  };
  unsigned Jobs = std::max(1u, std::min<unsigned>(Opts.Jobs, static_cast<unsigned>(Files.size())));
  std::vector<std::thread> Threads;
  for (unsigned J = 1; J < Jobs; ++J) Threads.emplace_back(Worker);
  Worker();
  for (auto &T : Threads) T.join();

  // Calls from traced regions into functions defined in other analyzed files.
  for (auto &[Open, Index] : OpenCalls)
    for (auto &F : resolveOpenCalls({Open}, AllSummaries)) Accept(F, Setups[Index], Files[Index]);

  for (const auto &[F, T] : Texts) Out.Sources.add(F, T);
  auto &Fs = Out.Result.Findings;
  auto Key = [](const Finding &F) { return std::tie(F.Where.File, F.Where.Line, F.Where.Column, F.CheckId, F.Message); };
  std::sort(Fs.begin(), Fs.end(), [&](const Finding &A, const Finding &B) { return Key(A) < Key(B); });
  Fs.erase(std::unique(Fs.begin(), Fs.end(), [&](const Finding &A, const Finding &B) { return Key(A) == Key(B); }), Fs.end());
  std::sort(Out.Result.FilesAnalyzed.begin(), Out.Result.FilesAnalyzed.end());
  std::sort(Out.Result.Failures.begin(), Out.Result.Failures.end(), [](const auto &A, const auto &B) { return A.File < B.File; });
  return true;
}

}  // namespace tracelint
