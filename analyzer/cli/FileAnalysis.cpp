#include "cli/FileAnalysis.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "checks/Check.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Driver/Options.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "cli/ResultJson.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/thread.h"

namespace tracelint {

using namespace clang;

namespace {

constexpr unsigned kAnalysisStackBytes = 1024u << 20;  // reserved, not committed: pages come as used

// g++ compile databases carry flags clang does not know; drop them with clang's own option table.
tooling::ArgumentsAdjuster dropUnknownArguments() {
  return [](const tooling::CommandLineArguments& Args, StringRef) {
    if (Args.empty()) return Args;
    const auto& Table = driver::getDriverOptTable();
    std::vector<const char*> Argv;
    for (std::size_t I = 1; I < Args.size(); ++I) Argv.push_back(Args[I].c_str());
    unsigned MissingIndex = 0, MissingCount = 0;
    auto Parsed = Table.ParseArgs(Argv, MissingIndex, MissingCount);
    std::set<std::string> Unknown;
    for (const auto* A : Parsed.filtered(driver::options::OPT_UNKNOWN)) Unknown.insert(A->getAsString(Parsed));
    tooling::CommandLineArguments Out{Args[0]};
    for (std::size_t I = 1; I < Args.size(); ++I)
      if (!Unknown.count(Args[I])) Out.push_back(Args[I]);
    return Out;
  };
}

class ErrorCollector : public DiagnosticConsumer {
 public:
  explicit ErrorCollector(FileResult& R) : R(R) {}
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic& Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error) return;
    SmallString<256> Msg;
    Info.FormatDiagnostic(Msg);
    std::string Where;
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      auto PL = Info.getSourceManager().getPresumedLoc(Info.getLocation());
      if (PL.isValid())
        Where = std::string(PL.getFilename()) + ":" + std::to_string(PL.getLine()) + ":" +
                std::to_string(PL.getColumn()) + ": ";
    }
    if (R.Errors.size() < 20) R.Errors.push_back(Where + Msg.str().str());
  }

 private:
  FileResult& R;
};

// Records, for each #include, the places searched before the one it was found in (clang's order:
// the includer's directory for "..." includes, then -iquote, -I, system directories).
class ShadowRecorder : public PPCallbacks {
 public:
  ShadowRecorder(Preprocessor& PP, FileResult& R) : PP(PP), R(R) {}
  void InclusionDirective(SourceLocation HashLoc, const Token&, StringRef FileName, bool IsAngled, CharSourceRange,
                          OptionalFileEntryRef File, StringRef SearchPath, StringRef, const Module*, bool,
                          SrcMgr::CharacteristicKind) override {
    if (!File || llvm::sys::path::is_absolute(FileName)) return;
    auto& SM = PP.getSourceManager();
    auto& HS = PP.getHeaderSearchInfo();
    std::vector<std::string> Dirs;
    if (!IsAngled)
      if (auto Includer = SM.getFileEntryRefForID(SM.getFileID(SM.getExpansionLoc(HashLoc))))
        Dirs.push_back(Includer->getDir().getName().str());
    for (auto It = IsAngled ? HS.angled_dir_begin() : HS.search_dir_begin(); It != HS.search_dir_end(); ++It)
      if (It->isNormalDir()) Dirs.push_back(It->getName().str());
    for (const auto& D : Dirs) {
      if (D == SearchPath) return;
      SmallString<256> Candidate(D);
      llvm::sys::path::append(Candidate, FileName);
      // Relative to the compile command's directory, which is not the checking process's.
      SM.getFileManager().makeAbsolutePath(Candidate);
      // One that exists is the file found, named another way (clang would have taken it otherwise).
      if (Seen.insert(std::string(Candidate)).second && !llvm::sys::fs::exists(Candidate))
        R.Shadows.push_back(std::string(Candidate));
    }
  }

 private:
  Preprocessor& PP;
  FileResult& R;
  std::set<std::string> Seen;
};

// The value of an object-like macro defined as one integer literal (`#define CUDA_VERSION 13000`).
std::optional<long long> macroInteger(Preprocessor& PP, const std::string& Name) {
  const auto* II = PP.getIdentifierInfo(Name);
  const MacroInfo* MI = II ? PP.getMacroInfo(II) : nullptr;
  if (!MI || MI->isFunctionLike() || MI->getNumTokens() != 1 || !MI->getReplacementToken(0).is(tok::numeric_constant))
    return std::nullopt;
  std::string Text = PP.getSpelling(MI->getReplacementToken(0));
  while (!Text.empty() && (Text.back() == 'L' || Text.back() == 'l' || Text.back() == 'U' || Text.back() == 'u'))
    Text.pop_back();
  if (Text.empty() || Text.size() > 18 || Text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(Text);
}

class TraceConsumer : public ASTConsumer {
 public:
  TraceConsumer(const Pack& P, const std::vector<std::string>& Checks, FileResult& R, Preprocessor& PP)
      : P(P), Checks(Checks), R(R), PP(PP) {}
  void HandleTranslationUnit(ASTContext& Ctx) override {
    auto& SM = Ctx.getSourceManager();
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It)
      R.Dependencies.push_back(SM.getFileManager().getCanonicalName(It->first).str());
    // No C++ exception may cross Clang's frames: everything a check throws ends here.
    try {
      Pack Used = packsUsedIn(Ctx, P);
      // Entries that hold for some toolkit versions only (CUDA_VERSION, HIP_VERSION_MAJOR), as the
      // translation unit defines them at its end.
      Used.applyVersionConditions([&](const std::string& Name) { return macroInteger(PP, Name); });
      TracedRegionModel Model(Ctx, Used);
      if (!Used.CaptureRegions.empty()) summarizeCaptureUse(Ctx, Model, R.Summaries);
      for (const auto& Id : Checks) {
        auto C = checkRegistry().at(Id).Create();
        CheckContext CC{Ctx, Model, [&](Finding F) { R.Findings.push_back(std::move(F)); }, Id, &R.Summaries};
        C->run(CC);
      }
    } catch (const std::exception& E) {
      R.CheckFailure = std::string("a check failed: ") + E.what();
    } catch (...) {
      R.CheckFailure = "a check failed with an unknown exception";
    }
  }

 private:
  const Pack& P;
  const std::vector<std::string>& Checks;
  FileResult& R;
  Preprocessor& PP;
};

class TraceAction : public ASTFrontendAction {
 public:
  // OwnErrors: for code held in memory there is no ClangTool to take a diagnostic consumer, so the
  // action installs the error collector itself.
  TraceAction(const Pack& P, const std::vector<std::string>& Checks, FileResult& R, bool OwnErrors = false)
      : P(P), Checks(Checks), R(R), OwnErrors(OwnErrors) {}
  bool BeginSourceFileAction(CompilerInstance& CI) override {
    if (OwnErrors) CI.getDiagnostics().setClient(new ErrorCollector(R), /*ShouldOwnClient=*/true);
    CI.getPreprocessor().addPPCallbacks(std::make_unique<ShadowRecorder>(CI.getPreprocessor(), R));
    return ASTFrontendAction::BeginSourceFileAction(CI);
  }
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& CI, StringRef) override {
    return std::make_unique<TraceConsumer>(P, Checks, R, CI.getPreprocessor());
  }

 private:
  const Pack& P;
  const std::vector<std::string>& Checks;
  FileResult& R;
  bool OwnErrors;
};

class TraceActionFactory : public tooling::FrontendActionFactory {
 public:
  TraceActionFactory(const Pack& P, const std::vector<std::string>& Checks, FileResult& R)
      : P(P), Checks(Checks), R(R) {}
  std::unique_ptr<FrontendAction> create() override { return std::make_unique<TraceAction>(P, Checks, R); }

 private:
  const Pack& P;
  const std::vector<std::string>& Checks;
  FileResult& R;
};

}  // namespace

FileResult analyzeFile(const std::string& File, const tooling::CompilationDatabase& DB, const CompileAdjustments& Adj,
                       const Pack& P, const std::vector<std::string>& Checks) {
  FileResult FR;
  tooling::ClangTool Tool(DB, {File});
  Tool.appendArgumentsAdjuster(dropUnknownArguments());
  Tool.appendArgumentsAdjuster(tooling::getClangStripOutputAdjuster());
  Tool.appendArgumentsAdjuster(tooling::getClangSyntaxOnlyAdjuster());
  Tool.appendArgumentsAdjuster(
      tooling::getInsertArgumentAdjuster(Adj.ExtraArgsBefore, tooling::ArgumentInsertPosition::BEGIN));
  std::vector<std::string> After = Adj.ExtraArgs;
  After.push_back("-Wno-unknown-warning-option");
  After.push_back("-Qunused-arguments");
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(After, tooling::ArgumentInsertPosition::END));
  Tool.appendArgumentsAdjuster([ResourceDir = Adj.ResourceDir](const tooling::CommandLineArguments& Args, StringRef) {
    for (const auto& A : Args)
      if (A.rfind("-resource-dir", 0) == 0) return Args;
    auto Out = Args;
    Out.insert(Out.begin() + (Out.empty() ? 0 : 1), "-resource-dir=" + ResourceDir);
    return Out;
  });
  for (const auto& [Path, Text] : Adj.Overlays) Tool.mapVirtualFile(Path, Text);
  ErrorCollector Diags(FR);
  Tool.setDiagnosticConsumer(&Diags);
  TraceActionFactory Factory(P, Checks, FR);
  // Clang's own recursion guards stop at the AST; the checks and the analyses they use (ParentMap,
  // the CFG) recurse over deep expressions too. As clangd does, the work gets a stack of its own,
  // large enough for what Clang accepts to parse.
  llvm::thread Analysis(std::optional<unsigned>(kAnalysisStackBytes), [&] { FR.ToolStatus = Tool.run(&Factory); });
  Analysis.join();
  return FR;
}

FileResult analyzeCode(const std::string& Code, const std::string& FileName, const std::vector<std::string>& Args,
                       const Pack& P, const std::vector<std::string>& Checks, const VirtualFiles& Headers) {
  FileResult FR;
  std::vector<std::string> All = Args;
  All.push_back("-fsyntax-only");
  bool Ok = tooling::runToolOnCodeWithArgs(std::make_unique<TraceAction>(P, Checks, FR, /*OwnErrors=*/true), Code, All,
                                           FileName, "tracelint", std::make_shared<PCHContainerOperations>(), Headers);
  FR.ToolStatus = Ok ? 0 : 1;
  return FR;
}

std::string failureReason(const FileResult& R) {
  if (!R.CheckFailure.empty()) return R.CheckFailure;
  if (!R.Errors.empty())
    return "did not parse: " + R.Errors.front() +
           (R.Errors.size() > 1 ? " (and " + std::to_string(R.Errors.size() - 1) + " more errors)" : "");
  if (R.ToolStatus != 0) return "the compiler could not run on this file";
  return "";
}

// The worker protocol: one tracelint binary talking to itself.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FileResult, Findings, Summaries, Errors, CheckFailure, ToolStatus, Dependencies,
                                   Shadows)

std::string toJson(const FileResult& R) {
  // Source text may hold bytes that are not UTF-8 (a message quotes code); replace, never throw.
  return nlohmann::json(R).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<FileResult> fileResultFromJson(const std::string& Text, std::string& Error) {
  try {
    return nlohmann::json::parse(Text).get<FileResult>();
  } catch (const std::exception& E) {
    Error = E.what();
    return std::nullopt;
  }
}

}  // namespace tracelint
