// tracelint's command line: clang-tidy's contract where it applies.
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "cli/Driver.h"
#include "cli/GitDiff.h"
#include "cli/LspMain.h"
#include "cli/Merge.h"
#include "cli/RunSetup.h"
#include "confirm/Confirm.h"
#include "core/Baseline.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"
#include "output/FixApplier.h"
#include "output/FixesYaml.h"
#include "output/OutputFile.h"

using namespace tracelint;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory Category("tracelint options");

const char* const Overview = R"(tracelint: finds state bugs in traced functions (tl::function and other
tracing APIs described by packs) of C++ code.

  tracelint [options] <files...> [-- <compiler args>]
  tracelint [options] --diff=<git rev> [<files...>]   (only findings on lines changed since rev)
  tracelint lsp [options] [-- <compiler args>]         (a Language Server on stdin/stdout)
  tracelint confirm --static <report> --dynamic <runtime reports...>   (see tracelint confirm --help)
  tracelint [options] --shard=i/n --export-summaries=<file> --export-results=<file> [<files...>]
  tracelint merge [--format, --output, --baseline, ...] <summaries...> <results...>
      (the report of one run over all shards' files; see docs/scale.md)

Exit codes:
  0  no error-level finding
  1  error-level findings (for example through --warnings-as-errors), or --fix could not apply
     some fixes (conflicts, files changed since analysis, unwritable files)
  2  usage or configuration error (nothing was analyzed)
  3  at least one file could not be analyzed (it did not parse, or a check failed on it);
     the other files were analyzed and reported
)";

cl::list<std::string> Sources(cl::Positional, cl::desc("<source files>"), cl::cat(Category));
cl::opt<std::string> BuildPath(
    "p", cl::desc("Build directory holding compile_commands.json (searched upward from the first file when omitted)"),
    cl::cat(Category));
cl::opt<std::string> Checks(
    "checks", cl::desc("Comma-separated check globs; '-' removes. Appended to the configuration's Checks"),
    cl::cat(Category));
cl::opt<std::string> WarningsAsErrors("warnings-as-errors", cl::desc("Check globs whose warnings become errors"),
                                      cl::cat(Category));
cl::opt<std::string> HeaderFilter("header-filter",
                                  cl::desc("Regex of headers whose findings are shown (main files always are)"),
                                  cl::cat(Category));
cl::opt<std::string> LineFilterJson("line-filter", cl::desc("JSON: [{\"name\":\"file.cpp\",\"lines\":[[first,last]]}]"),
                                cl::cat(Category));
cl::list<std::string> ExtraArg("extra-arg", cl::desc("Compiler argument appended to each command"), cl::cat(Category));
cl::list<std::string> ExtraArgBefore("extra-arg-before", cl::desc("Compiler argument prepended to each command"),
                                     cl::cat(Category));
cl::opt<std::string> ConfigText(
    "config", cl::desc("Configuration as JSON text (instead of .tracelint.json lookup; not with --config-file)"),
    cl::cat(Category));
cl::opt<std::string> ConfigFile(
    "config-file", cl::desc("Configuration file to use instead of .tracelint.json lookup (not with --config)"),
    cl::cat(Category));
cl::opt<bool> ListChecks("list-checks",
                         cl::desc("List the checks enabled for the first file given (else the current directory), "
                                  "configuration included, and exit"),
                         cl::cat(Category));
cl::opt<bool> DumpConfig("dump-config",
                         cl::desc("Print the settings a run would use for the first file given (else the current "
                                  "directory) as JSON, and exit"),
                         cl::cat(Category));
cl::opt<bool> VerifyConfig("verify-config",
                           cl::desc("Check the configuration of each file given (else of the current directory) and "
                                    "the command line's options, and exit: 0 when valid, 2 otherwise"),
                           cl::cat(Category));
cl::opt<std::string> Explain("explain", cl::desc("Print the documentation of a check and exit"), cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("Print no summary lines (suppressed counts)"), cl::cat(Category));
cl::opt<std::string> UseColor("use-color",
                              cl::desc("Color output: auto (default), true (also --use-color alone), false"),
                              cl::init("auto"), cl::ValueOptional, cl::cat(Category));
cl::opt<unsigned> Jobs("j",
                       cl::desc("Files analyzed in parallel (-j N or -jN); at most the number of files and of CPUs "
                                "available (more is reduced, with a note)"),
                       cl::init(1), cl::Prefix, cl::cat(Category));
cl::opt<std::string> Format("format", cl::desc("Output format: text (default), json (LSP-shaped), sarif"),
                            cl::init("text"), cl::cat(Category));
cl::opt<std::string> Output("output", cl::desc("Write the report to this file instead of stdout"), cl::cat(Category));
cl::opt<bool> Fix("fix",
                  cl::desc("Apply the fixes of the findings to the files (all-or-nothing per finding; conflicting "
                           "fixes are reported and skipped)"),
                  cl::cat(Category));
cl::opt<std::string> ExportFixes("export-fixes",
                                 cl::desc("Write fixes as clang-tidy YAML (clang-apply-replacements reads it)"),
                                 cl::cat(Category));
cl::opt<std::string> ResourceDir("resource-dir", cl::desc("Clang resource directory (builtin headers)"),
                                 cl::cat(Category));
cl::opt<bool> PrintResourceDir("print-resource-dir", cl::desc("Print the resource directory tracelint uses and exit"),
                               cl::cat(Category));
cl::opt<bool> Isolate("isolate",
                      cl::desc("Analyze each file in a worker process, so a crash or a hang costs that file only "
                               "(default: when more than one file is given)"),
                      cl::init(true), cl::cat(Category));
cl::opt<unsigned> FileTimeout("file-timeout",
                              cl::desc("Seconds a file's analysis may take before it is stopped and reported as failed "
                                       "(default 300; 0: no limit; needs --isolate)"),
                              cl::init(300), cl::cat(Category));
// Worker mode, used by --isolate: analyze the files the parent names on this socket, one at a time.
cl::opt<int> WorkerFd("internal-worker-fd", cl::Hidden, cl::init(-1));
cl::opt<int> WorkerParent("internal-worker-parent", cl::Hidden, cl::init(0));
// The editor's buffers the language server hands its workers (JSON: {path: text}).
cl::opt<std::string> OverlayFile("internal-overlays", cl::Hidden);
cl::opt<std::string> DocsUrl("docs-url",
                             cl::desc("Base URL of the documentation: rule pages are <url>/rules/<id>.md (default: "
                                      "$TRACELINT_DOCS_URL, else the installed docs as a file URI)"),
                             cl::cat(Category));
cl::opt<std::string> BaselineFile("baseline",
                                  cl::desc("Leave out the findings this baseline holds (written by --write-baseline); "
                                           "matched by fingerprint, not by line"),
                                  cl::cat(Category));
cl::opt<std::string> WriteBaseline("write-baseline", cl::desc("Write this run's findings as a baseline to this file"),
                                   cl::cat(Category));
cl::opt<std::string> DiffRev(
    "diff",
    cl::desc("Report only findings on the lines changed since this git revision (working tree against it); with no "
             "files given, analyze every changed source file in the compilation database"),
    cl::cat(Category));
cl::opt<std::string> CacheDir(
    "cache-dir",
    cl::desc("Keep each file's result here and reuse it while the file, its headers, its compile command, the checks, "
             "the packs and tracelint are unchanged (default: $TRACELINT_CACHE_DIR; none when unset)"),
    cl::cat(Category));
cl::opt<std::string> ExportSummaries(
    "export-summaries",
    cl::desc("Write each file's cross-file summaries (functions, their writes, the open calls of traced regions) to "
             "this file, for tracelint merge"),
    cl::cat(Category));
cl::opt<std::string> ExportResults(
    "export-results",
    cl::desc("Write this run's findings before the cross-file ones to this file, for tracelint merge"),
    cl::cat(Category));
cl::opt<std::string> Shard(
    "shard",
    cl::desc("i/n: analyze the i-th of n stable parts (1 <= i <= n) of the files given, or of the compilation "
             "database's files when none are given; a file's part depends on its path only"),
    cl::cat(Category));
cl::opt<std::string> RepoRoot("repo-root",
                              cl::desc("Root that SARIF URIs are relative to (default: current directory)"),
                              cl::cat(Category));

std::string readAll(const std::string& Path) {
  std::ifstream In(Path);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

// A rule's page: docs/rules/<id>.md beside the rules directory (installed or the source tree).
std::string rulePage(const std::string& RulesDir, const std::string& Id) {
  auto Doc = readAll(RulesDir + "/../docs/rules/" + Id + ".md");
  return Doc.empty() ? readAll(RulesDir + "/docs/" + Id + ".md") : Doc;
}

bool writeOutput(const std::string& Path, const std::string& Text) {
  if (Path.empty()) {
    // Through the descriptor, so that a full disk or a closed pipe is reported with its errno.
    std::cout.flush();
    int Err = writeAllToFd(STDOUT_FILENO, Text);
    if (!Err) return true;
    std::cerr << "tracelint: error: cannot write the report to standard output: " << std::strerror(Err) << "\n";
    return false;
  }
  std::string Error;
  if (writeOutputFile(Path, Text, Error)) return true;
  std::cerr << "tracelint: error: " << Error << "\n";
  return false;
}

// --fix. Files that failed to analyze get no fix: their findings may come from a broken AST.
bool applyFixes(const RunResult& R, bool Quiet) {
  std::set<std::string> Failed;
  for (const auto& F : R.Failures) Failed.insert(F.File);
  std::vector<Finding> Fixable;
  for (const auto& F : R.Findings)
    if (!F.Fixes.empty() && !Failed.count(F.Where.File)) Fixable.push_back(F);
  if (Fixable.empty()) return true;
  auto Plan = planFixes(Fixable, [](const std::string& Path) -> std::optional<std::string> {
    std::ifstream In(Path, std::ios::binary);
    if (!In) return std::nullopt;
    std::stringstream SS;
    SS << In.rdbuf();
    return SS.str();
  });
  for (const auto& P : Plan.Problems) std::cerr << "tracelint: error: --fix: " << P << "\n";
  std::string Error;
  if (!Plan.Edits.empty() && !applyFixPlan(Plan, Error)) {
    std::cerr << "tracelint: error: --fix: " << Error << "\n";
    return false;
  }
  unsigned Units = 0;
  for (const auto& E : Plan.Edits) Units += E.Units;
  if (!Quiet)
    std::cerr << "tracelint: applied the fixes of " << Units << " finding" << (Units == 1 ? "" : "s") << " in "
              << Plan.Edits.size() << " file" << (Plan.Edits.size() == 1 ? "" : "s") << ".\n";
  return Plan.Problems.empty();
}

// The inputs of --diff: the files given (a change to a header is checked through the sources
// named), or, with none given, every changed C, C++ or CUDA source.
std::vector<std::string> diffInputs(const GitChange& Change, const std::vector<std::string>& Given) {
  if (!Given.empty()) return Given;
  static const std::set<std::string> SourceExtensions{".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".cu"};
  std::vector<std::string> Candidates;
  for (const auto& F : Change.Files) {
    auto Path = (std::filesystem::path(Change.Root) / F.Path).lexically_normal();
    if (SourceExtensions.count(Path.extension().string())) Candidates.push_back(Path.string());
  }
  return Candidates;
}

// Files the database has a command for. A database that lists no files (compiler arguments after
// --) has one for every file.
std::vector<std::string> inDatabase(const std::vector<std::string>& Files,
                                    const clang::tooling::CompilationDatabase& DB) {
  auto Known = DB.getAllFiles();
  if (Known.empty()) return Files;
  std::set<std::string> Real;
  for (const auto& K : Known) {
    std::error_code EC;
    auto R = std::filesystem::weakly_canonical(K, EC);
    Real.insert(EC ? K : R.string());
  }
  std::vector<std::string> Out;
  for (const auto& F : Files)
    if (Real.count(F)) Out.push_back(F);
  return Out;
}

// This run's command for the workers: --diff and the files given removed, the chosen files named
// instead, before the compiler arguments (--diff and `tracelint lsp` choose the files themselves).
std::vector<std::string> workerCommand(const std::vector<std::string>& Self, const std::vector<std::string>& Files) {
  std::set<std::string> Given(Sources.begin(), Sources.end());
  std::vector<std::string> Out{Self.front()};
  bool Inserted = false;
  for (std::size_t I = 1; I < Self.size(); ++I) {
    const auto& A = Self[I];
    if (!Inserted && A == "--") {
      Out.insert(Out.end(), Files.begin(), Files.end());
      Inserted = true;
    }
    if (!Inserted && (A == "--diff" || A == "-diff")) {
      ++I;
      continue;
    }
    if (!Inserted && (A.rfind("--diff=", 0) == 0 || A.rfind("-diff=", 0) == 0 || Given.count(A))) continue;
    Out.push_back(A);
  }
  if (!Inserted) Out.insert(Out.end(), Files.begin(), Files.end());
  return Out;
}

DriverOptions driverOptions(const std::string& RulesDir, const std::vector<std::string>& SelfCommand) {
  DriverOptions Opts;
  Opts.Checks = Checks;
  Opts.WarningsAsErrors = WarningsAsErrors;
  Opts.HeaderFilter = HeaderFilter;
  Opts.LineFilterJson = LineFilterJson;
  Opts.ExtraArgs = ExtraArg;
  Opts.ExtraArgsBefore = ExtraArgBefore;
  Opts.ResourceDir = ResourceDir;
  Opts.ConfigText = ConfigText;
  Opts.ConfigFile = ConfigFile;
  Opts.RulesDir = RulesDir;
  Opts.Jobs = Jobs;
  Opts.FileTimeoutSeconds = FileTimeout;
  Opts.SelfCommand = SelfCommand;
  Opts.Progress = !Quiet;
  if (!OverlayFile.empty()) {
    std::ifstream In(std::string(OverlayFile), std::ios::binary);
    std::stringstream Text;
    Text << In.rdbuf();
    auto J = nlohmann::json::parse(Text.str(), nullptr, false);
    // Written by this binary's own server a moment ago: unreadable means the server is gone.
    if (J.is_object())
      for (const auto& [Path, Content] : J.items())
        if (Content.is_string()) Opts.Overlays[Path] = Content.get<std::string>();
  }
  if (!CacheDir.empty()) {
    Opts.CacheDir = CacheDir;
  } else if (const char* Env = std::getenv("TRACELINT_CACHE_DIR")) {
    Opts.CacheDir = Env;
  }
  return Opts;
}

// --shard=i/n: 1 <= i <= n.
bool parseShard(const std::string& Text, unsigned& Index, unsigned& Count) {
  auto Slash = Text.find('/');
  if (Slash == std::string::npos) return false;
  auto Number = [](const std::string& T, unsigned& V) {
    if (T.empty() || T.size() > 6 || !std::all_of(T.begin(), T.end(), ::isdigit)) return false;
    V = static_cast<unsigned>(std::stoul(T));
    return true;
  };
  return Number(Text.substr(0, Slash), Index) && Number(Text.substr(Slash + 1), Count) && Count >= 1 && Index >= 1 &&
         Index <= Count;
}

// A file's shard: FNV-1a of its path relative to the current directory (the checkout's root in a
// CI job), so every job of a matrix, on any machine, agrees, and adding a file moves no other one.
bool inShard(const std::string& File, unsigned Index, unsigned Count) {
  std::error_code EC;
  auto Rel = std::filesystem::path(File).lexically_relative(std::filesystem::current_path(EC));
  std::string Key = Rel.empty() || Rel.native().rfind("..", 0) == 0 ? File : Rel.generic_string();
  std::uint64_t H = 1469598103934665603ull;
  for (unsigned char C : Key) H = (H ^ C) * 1099511628211ull;
  return H % Count == Index - 1;
}

// --baseline, read before the analysis so that a bad one costs no analysis time.
bool loadBaseline(std::optional<Baseline>& Accepted) {
  if (BaselineFile.empty()) return true;
  if (!WriteBaseline.empty()) {
    std::cerr << "tracelint: error: --baseline and --write-baseline cannot be used together; write the baseline from "
                 "a run without one\n";
    return false;
  }
  std::string Error;
  Accepted = Baseline::load(BaselineFile, Error);
  if (!Accepted) std::cerr << "tracelint: error: " << Error << "\n";
  return Accepted.has_value();
}

// The report of a run or a merge in the chosen format, the other files asked for, the summary line
// and the exit code.
int report(DriverOutput& Out, const std::optional<Baseline>& Accepted, const Catalogue& Cat,
           const std::string& RulesDir, const std::string& MainSourceFile, bool CacheUsed) {
  if (Accepted) Accepted->filter(Out.Result);
  EmitOptions EO;
  EO.Quiet = Quiet;
  EO.ToolVersion = TRACELINT_VERSION;
  EO.DocsBase = resolveDocsBase(DocsUrl, RulesDir);
  EO.RepoRoot = RepoRoot.empty() ? std::filesystem::current_path().string() : std::string(RepoRoot);
  // NO_COLOR (no-color.org) turns the automatic choice off; an explicit --use-color still wins.
  const char* NoColor = std::getenv("NO_COLOR");
  bool Color = UseColor == "true" || UseColor.empty() ||
               (UseColor == "auto" && !(NoColor && *NoColor) && Output.empty() &&
                llvm::sys::Process::StandardOutIsDisplayed());
  EO.Color = Color && Format == "text";
  std::string Text = Format == "json"    ? emitJson(Out.Result, Cat, Out.Sources, EO)
                     : Format == "sarif" ? emitSarif(Out.Result, Cat, Out.Sources, EO)
                                         : emitText(Out.Result, Cat, Out.Sources, EO);
  bool Wrote = writeOutput(Output, Text);
  if (!WriteBaseline.empty()) Wrote &= writeOutput(WriteBaseline, Baseline::render(Out.Result.Findings, WriteBaseline));
  if (!ExportFixes.empty()) Wrote &= writeOutput(ExportFixes, emitFixesYaml(Out.Result, Out.Sources, MainSourceFile, std::filesystem::current_path().string()));
  if (!ExportSummaries.empty())
    Wrote &= writeOutput(ExportSummaries, renderSummaries(Out.Summaries, TRACELINT_VERSION));
  if (!ExportResults.empty()) Wrote &= writeOutput(ExportResults, renderResults(Out.Local, TRACELINT_VERSION));
  for (const auto& F : Out.Result.Failures) std::cerr << F.File << ": error: analysis failed: " << F.Reason << "\n";
  bool FixesIncomplete = Fix && !applyFixes(Out.Result, Quiet);
  std::size_t Errors = 0, Warnings = 0;
  for (const auto& F : Out.Result.Findings) (F.Level == Severity::Error ? Errors : Warnings) += 1;
  if (!Quiet) {
    std::cerr << Warnings << " warning" << (Warnings == 1 ? "" : "s") << " and " << Errors << " error"
              << (Errors == 1 ? "" : "s") << " in " << Out.Result.FilesAnalyzed.size() << " file"
              << (Out.Result.FilesAnalyzed.size() == 1 ? "" : "s");
    if (Out.Result.Suppressed) std::cerr << "; " << Out.Result.Suppressed << " suppressed by NOLINT";
    if (!Out.Result.Accepted.empty()) std::cerr << "; " << Out.Result.Accepted.size() << " in the baseline";
    if (CacheUsed) std::cerr << "; " << Out.CachedFiles << " from the result cache";
    if (!WriteBaseline.empty())
      std::cerr << "; baseline of " << Out.Result.Findings.size() << " written to " << WriteBaseline;
    std::cerr << ".\n";
  }
  if (!Wrote) return 2;
  if (!Out.Result.Failures.empty()) return 3;
  // Writing a baseline accepts the findings it holds: they fail no run, this one included.
  return (Errors && WriteBaseline.empty()) || FixesIncomplete ? 1 : 0;
}

// `tracelint merge`: the options that choose files or checks belong to the shards' runs.
int runMerge(const Catalogue& Cat, const std::string& RulesDir) {
  const cl::Option* const Refused[] = {&BuildPath,
                                       &Checks,
                                       &WarningsAsErrors,
                                       &HeaderFilter,
                                       &LineFilterJson,
                                       std::addressof(ExtraArg),
                                       std::addressof(ExtraArgBefore),
                                       &ConfigText,
                                       &ConfigFile,
                                       &Fix,
                                       &DiffRev,
                                       &CacheDir,
                                       &Shard,
                                       &ExportSummaries,
                                       &ExportResults};
  for (const cl::Option* O : Refused) {
    if (O->getNumOccurrences()) {
      std::cerr << "tracelint: error: merge takes no --" << O->ArgStr.str()
                << ": it belongs to the runs that wrote the summaries and results\n";
      return 2;
    }
  }
  std::optional<Baseline> Accepted;
  if (!loadBaseline(Accepted)) return 2;
  DriverOutput Out;
  std::string Error;
  std::vector<std::string> Warnings;
  if (!mergeExports(std::vector<std::string>(Sources.begin(), Sources.end()), TRACELINT_VERSION, Cat, Out, Error,
                    Warnings)) {
    std::cerr << "tracelint: error: " << Error << "\n";
    return 2;
  }
  for (const auto& W : Warnings) std::cerr << "tracelint: warning: " << W << "\n";
  return report(Out, Accepted, Cat, RulesDir,
                Out.Result.FilesAnalyzed.empty() ? std::string() : Out.Result.FilesAnalyzed.front(), false);
}

}  // namespace

int main(int argc, const char** argv) {
  // The worker processes get this run's arguments as given (before the fixed compilation
  // database takes the ones after "--").
  std::vector<std::string> SelfCommand{llvm::sys::fs::getMainExecutable(argv[0], reinterpret_cast<void*>(&main))};
  if (argc > 1 && std::string(argv[1]) == "confirm")
    return runConfirm(std::vector<std::string>(argv + 2, argv + argc), TRACELINT_VERSION, argv[0]);
  // `tracelint lsp [options] [-- compiler args]`: the options are the CLI's, read without "lsp".
  std::vector<const char*> ArgvStorage(argv, argv + argc);
  const bool LspMode = argc > 1 && std::string(argv[1]) == "lsp";
  const bool MergeMode = argc > 1 && std::string(argv[1]) == "merge";
  if (LspMode || MergeMode) {
    ArgvStorage.erase(ArgvStorage.begin() + 1);
    --argc;
    argv = ArgvStorage.data();
  }
  SelfCommand.insert(SelfCommand.end(), argv + 1, argv + argc);
  cl::SetVersionPrinter(
      [](llvm::raw_ostream& OS) { OS << "tracelint " TRACELINT_VERSION " (LLVM " TRACELINT_LLVM_VERSION ")\n"; });
  cl::HideUnrelatedOptions(Category);
  std::string FixedError;
  // Taken before loadFromCommandLine, which cuts argc at the "--".
  const char* const* ArgsEnd = argv + argc;
  const char* const* DoubleDash = std::find(static_cast<const char* const*>(argv), ArgsEnd, llvm::StringRef("--"));
  bool HasCompilerArgs = DoubleDash != ArgsEnd;
  std::vector<std::string> CompilerArgs(HasCompilerArgs ? DoubleDash + 1 : ArgsEnd, ArgsEnd);
  auto Fixed = clang::tooling::FixedCompilationDatabase::loadFromCommandLine(argc, argv, FixedError);
  if (!cl::ParseCommandLineOptions(argc, argv, Overview, &llvm::errs())) return 2;
  if (WorkerFd >= 0) {
    // A worker dies with the run that started it, even when that run is killed outright. Checking
    // the parent after the request closes the window in which it died before the request was made.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (WorkerParent > 0 && ::getppid() != WorkerParent) return 2;
  }
  if (ConfigText.getNumOccurrences() && ConfigFile.getNumOccurrences()) {
    std::cerr << "tracelint: error: --config and --config-file cannot be used together; give one of them\n";
    return 2;
  }
  if (UseColor != "auto" && UseColor != "true" && UseColor != "false" && !UseColor.empty()) {
    std::cerr << "tracelint: error: --use-color must be auto, true or false, not '" << UseColor << "'\n";
    return 2;
  }

  if (PrintResourceDir) {
    std::cout << resolveResourceDir(ResourceDir) << "\n";
    return 0;
  }
  std::string RulesDir = findRulesDir(argv[0]);
  std::string Error;
  auto Cat = Catalogue::load(RulesDir + "/catalogue.json", Error);
  if (!Cat) {
    std::cerr << "tracelint: error: " << Error << "\n";
    return 2;
  }
  if (!Explain.empty()) {
    const auto* R = Cat->find(Explain);
    if (!R) {
      std::cerr << "tracelint: error: no check named '" << Explain << "'; see --list-checks\n";
      return 2;
    }
    auto Doc = rulePage(RulesDir, R->Id);
    std::cout << R->Id << " (" << severityName(R->DefaultSeverity) << ", precision: " << R->Precision << ")\n\n"
              << R->Summary << "\n\n"
              << R->Description << "\n";
    if (!Doc.empty()) std::cout << "\n" << Doc;
    return 0;
  }
  if (ListChecks || DumpConfig || VerifyConfig) {
    // The configuration a run would read for a file: the files given, else one in the current
    // directory (it need not exist; its directory is where the lookup starts).
    std::vector<std::string> For(Sources.begin(), Sources.end());
    if (For.empty()) For.push_back((std::filesystem::current_path() / "-").string());
    if (!VerifyConfig) For.resize(1);
    auto Opts = driverOptions(RulesDir, SelfCommand);
    for (const auto& File : For) {
      auto Settings = effectiveConfig(File, Opts, *Cat, Error);
      if (!Settings) {
        std::cerr << "tracelint: error: " << Error << "\n";
        return 2;
      }
      if (DumpConfig) std::cout << Settings->dump(2) << "\n";
      if (ListChecks) {
        std::cout << "Enabled checks:\n";
        for (const auto& Id : (*Settings)["EnabledChecks"]) std::cout << "    " << Id.get<std::string>() << "\n";
      }
    }
    if (VerifyConfig) std::cout << "No config errors detected.\n";
    return 0;
  }
  if (MergeMode) return runMerge(*Cat, RulesDir);
  if (LspMode) {
    if (!Sources.empty() || !DiffRev.empty() || !Output.empty() || Fix || !WriteBaseline.empty()) {
      std::cerr << "tracelint: error: tracelint lsp takes no files, --diff, --output, --fix or --write-baseline: the "
                   "editor names the files\n";
      return 2;
    }
    if (HasCompilerArgs && !Fixed) {
      std::cerr << "tracelint: error: the compiler arguments after -- give no compile job to analyze\n";
      return 2;
    }
    LspSetup Setup;
    Setup.Options = driverOptions(RulesDir, SelfCommand);
    Setup.WorkerCommand = [&](const std::string& File) { return workerCommand(SelfCommand, {File}); };
    Setup.BuildPath = BuildPath;
    Setup.Fixed = std::move(Fixed);
    if (!BaselineFile.empty()) {
      Setup.Accepted = Baseline::load(BaselineFile, Error);
      if (!Setup.Accepted) {
        std::cerr << "tracelint: error: " << Error << "\n";
        return 2;
      }
    }
    Setup.Emit.ToolVersion = TRACELINT_VERSION;
    Setup.Emit.DocsBase = resolveDocsBase(DocsUrl, RulesDir);

    return runLanguageServer(Setup, *Cat);
  }
  if (Format != "text" && Format != "json" && Format != "sarif") {
    std::cerr << "tracelint: error: --format must be text, json or sarif, not '" << Format << "'\n";
    return 2;
  }
  std::vector<std::string> Inputs(Sources.begin(), Sources.end());
  std::optional<GitChange> Change;
  if (!DiffRev.empty()) {
    if (!LineFilterJson.empty()) {
      std::cerr << "tracelint: error: --diff and --line-filter cannot be used together: --diff sets the line filter to "
                   "the changed lines\n";
      return 2;
    }
    Change = changedLines(DiffRev, Error);
    if (!Change) {
      std::cerr << "tracelint: error: --diff=" << DiffRev << ": " << Error << "\n";
      return 2;
    }
    Inputs = diffInputs(*Change, Inputs);
  } else if (Inputs.empty() && Shard.empty()) {
    std::cerr << "tracelint: error: no input files (see --help)\n";
    return 2;
  }
  unsigned ShardIndex = 1, ShardCount = 1;
  if (!Shard.empty() && !parseShard(Shard, ShardIndex, ShardCount)) {
    std::cerr << "tracelint: error: --shard=" << Shard << ": give i/n with 1 <= i <= n, e.g. --shard=2/4\n";
    return 2;
  }
  if (!Shard.empty() && Inputs.empty() && BuildPath.empty() && !Fixed) {
    std::cerr << "tracelint: error: --shard without files shards the compilation database: give -p <build dir>\n";
    return 2;
  }
  std::unique_ptr<clang::tooling::CompilationDatabase> DB;
  if (HasCompilerArgs && !Fixed) {
    // Without this, the run would go on to look for a compile_commands.json and blame its absence.
    std::cerr << "tracelint: error: the compiler arguments after -- give no compile job to analyze";
    auto Stop = std::find_if(CompilerArgs.begin(), CompilerArgs.end(),
                             [](const std::string& A) { return A == "-E" || A == "-M" || A == "-MM"; });
    if (Stop != CompilerArgs.end())
      std::cerr << ": '" << *Stop
                << "' stops the compiler before it compiles, so there is no AST to analyze; remove it";
    else if (!FixedError.empty())
      std::cerr << " (" << llvm::StringRef(FixedError).trim().str() << ")";
    std::cerr << "\n";
    return 2;
  }
  if (Fixed) {
    DB = std::move(Fixed);
  } else if (!BuildPath.empty()) {
    // clang-tidy takes the database file itself as well as its directory.
    std::error_code EC;
    if (std::filesystem::is_regular_file(std::string(BuildPath), EC))
      DB = clang::tooling::JSONCompilationDatabase::loadFromFile(BuildPath, Error,
                                                                 clang::tooling::JSONCommandLineSyntax::AutoDetect);
    else
      DB = clang::tooling::CompilationDatabase::loadFromDirectory(BuildPath, Error);
    if (!DB) {
      std::cerr << "tracelint: error: cannot load a compilation database from '" << BuildPath << "': " << Error << "\n";
      return 2;
    }
  } else if (Inputs.empty()) {
    // --diff changed no source file: nothing to analyze, and no database to look for.
    DB = std::make_unique<clang::tooling::FixedCompilationDatabase>(".", std::vector<std::string>{});
  } else {
    DB = clang::tooling::CompilationDatabase::autoDetectFromSource(Inputs.front(), Error);
    if (!DB) {
      std::cerr << "tracelint: error: no compile_commands.json found above '" << Inputs.front()
                << "'; pass -p <build dir> or compiler arguments after --\n";
      return 2;
    }
  }
  DriverOptions Opts = driverOptions(RulesDir, SelfCommand);
  // A file named twice (or through a link) is analyzed once: its findings would be reported twice
  // and the file counted twice.
  std::vector<std::string> Files;
  std::set<std::string> RealPaths;
  if (Change && Sources.empty()) Inputs = inDatabase(Inputs, *DB);
  if (!Shard.empty() && Inputs.empty() && !Change) Inputs = DB->getAllFiles();
  for (const auto& S : Inputs) {
    std::error_code EC;
    auto Abs = std::filesystem::absolute(S, EC).lexically_normal().string();
    auto Real = std::filesystem::canonical(Abs, EC);
    if (RealPaths.insert(EC ? Abs : Real.string()).second) Files.push_back(Abs);
  }
  if (!Shard.empty())
    Files.erase(std::remove_if(Files.begin(), Files.end(),
                               [&](const std::string& F) { return !inShard(F, ShardIndex, ShardCount); }),
                Files.end());
  if (Change) {
    Opts.LineFilterJson = lineFilterJson(Change->Files, Change->Root);
    // Workers analyze the files chosen here, not a second reading of a tree that may have moved on.
    Opts.SelfCommand = workerCommand(SelfCommand, Files);
    if (Files.empty() && !Quiet)
      std::cerr << "tracelint: note: --diff=" << DiffRev << " changes no source file in the compilation database\n";
  }
  // One file has no other file's findings to lose: it runs in-process unless --isolate says so.
  Opts.Isolate = Isolate.getNumOccurrences() ? bool(Isolate) : Files.size() > 1;
  if (WorkerFd >= 0) {
    llvm::sys::Process::PreventCoreFiles();  // a crash is reported by the parent, not left as a core file
    return serveWorker(Files, WorkerFd, *DB, Opts, *Cat);
  }
  if (Jobs > availableCpus() && !Quiet)
    std::cerr << "tracelint: note: -j " << Jobs << ": " << availableCpus() << " CPUs are available; running "
              << effectiveJobs(Jobs, Files.size()) << " jobs at a time\n";
  std::optional<Baseline> Accepted;
  if (!loadBaseline(Accepted)) return 2;
  Opts.Export = !ExportSummaries.empty() || !ExportResults.empty();
  DriverOutput Out;
  if (!runAnalysis(Files, *DB, Opts, *Cat, Out, Error)) {
    std::cerr << "tracelint: error: " << Error << "\n";
    return 2;
  }
  return report(Out, Accepted, *Cat, RulesDir, Files.empty() ? std::string() : Files.front(), !Opts.CacheDir.empty());
}
