#include "cli/Driver.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "checks/Check.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Tooling/Tooling.h"
#include "cli/FileAnalysis.h"
#include "cli/FindingFilter.h"
#include "cli/ResultCache.h"
#include "core/Config.h"
#include "core/Glob.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Program.h"
#include "model/Summaries.h"

namespace tracelint {

using namespace clang;

std::string resolveResourceDir(const std::string& Flag) {
  namespace fs = std::filesystem;
  if (!Flag.empty()) return Flag;
  if (const char* Env = std::getenv("TRACELINT_RESOURCE_DIR"); Env && *Env) return Env;
  std::error_code EC;
  auto Self = fs::canonical("/proc/self/exe", EC);
  if (!EC) {
    auto Beside = Self.parent_path().parent_path() / "lib" / "clang" / TRACELINT_LLVM_MAJOR;
    if (fs::exists(Beside / "include" / "stddef.h", EC)) return Beside.string();
  }
  return TRACELINT_CLANG_RESOURCE_DIR;
}

unsigned availableCpus() {
  cpu_set_t Set;
  CPU_ZERO(&Set);
  if (::sched_getaffinity(0, sizeof Set, &Set) != 0) return 1;
  return static_cast<unsigned>(std::max(1, CPU_COUNT(&Set)));
}

unsigned effectiveJobs(unsigned Requested, std::size_t Files) {
  std::size_t Jobs = std::min<std::size_t>({Requested, Files, availableCpus(), kMaxJobs});
  return static_cast<unsigned>(std::max<std::size_t>(Jobs, 1));
}

std::vector<std::string> enabledChecks(const std::string& Globs, const Catalogue& Cat) {
  GlobList G(Globs);
  std::vector<std::string> Out;
  for (const auto& R : Cat.rules())
    if (checkRegistry().count(R.Id) && G.contains(R.Id)) Out.push_back(R.Id);
  return Out;
}

namespace {

std::string readFile(const std::string& Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

struct PerFileSetup : FilterSetup {
  std::string Checks;
  Pack ThePack;
  std::vector<std::string> PackPaths;  // the files ThePack was read from (the result cache's key)
};

// Configuration and packs are resolved up front, so a configuration error stops the run before
// any file is analyzed (exit code 2), as clang-tidy does.
// An option no check reads would be ignored silently, so it is an error that points at it.
bool checkOptionsKnown(const Config& C, const Catalogue& Cat, std::string& Error) {
  for (const auto& [Key, Value] : C.CheckOptions) {
    auto Dot = Key.rfind('.');
    const auto* Rule = Dot == std::string::npos ? nullptr : Cat.find(Key.substr(0, Dot));
    if (Rule && std::find(Rule->Options.begin(), Rule->Options.end(), Key.substr(Dot + 1)) != Rule->Options.end())
      continue;
    auto Site = C.CheckOptionSites.count(Key) ? C.CheckOptionSites.at(Key) + ": " : std::string();
    Error = Site + "unknown check option '" + Key + "'";
    if (!Rule) {
      Error += " (options are named '<check>.<option>', and no check is named '" +
               (Dot == std::string::npos ? Key : Key.substr(0, Dot)) + "')";
    } else {
      std::string Known;
      for (const auto& O : Rule->Options) Known += (Known.empty() ? "" : ", ") + O;
      Error += Known.empty() ? " (" + Rule->Id + " has no options)" : " (" + Rule->Id + " has: " + Known + ")";
    }
    return false;
  }
  return true;
}

// The packs that ship (rules/packs/*.json), the project's own first: without configuration all are
// on, and each acts only in translation units that declare its API (its detect names).
std::vector<std::string> shippedPacks(const std::string& RulesDir) {
  std::vector<std::string> Names;
  std::error_code EC;
  for (const auto& E : std::filesystem::directory_iterator(RulesDir + "/packs", EC))
    if (E.path().extension() == ".json") Names.push_back(E.path().stem().string());
  std::sort(Names.begin(), Names.end(), [](const std::string& A, const std::string& B) {
    return std::make_pair(A != "tl", A) < std::make_pair(B != "tl", B);
  });
  return Names;
}

// "Packs": names or paths select exactly those; "-name" entries alone turn shipped packs off.
bool selectPacks(const std::vector<std::string>& Configured, const std::string& RulesDir, std::vector<std::string>& Out,
                 std::string& Error) {
  bool OnlyRemovals =
      std::all_of(Configured.begin(), Configured.end(), [](const std::string& N) { return N.rfind('-', 0) == 0; });
  if (OnlyRemovals) Out = shippedPacks(RulesDir);
  for (const auto& Name : Configured) {
    if (Name.rfind('-', 0) != 0) {
      Out.push_back(Name);
      continue;
    }
    auto It = std::find(Out.begin(), Out.end(), Name.substr(1));
    if (It == Out.end()) {
      Error = "configuration turns off pack '" + Name.substr(1) + "', which is not a shipped pack";
      if (!OnlyRemovals) Error += " (\"-name\" entries cannot be mixed with packs named to be on)";
      return false;
    }
    Out.erase(It);
  }
  if (Out.empty()) {
    Error = "configuration turns off every pack: nothing would be analyzed";
    return false;
  }
  return true;
}

bool prepareSetups(const std::vector<std::string>& Files, const DriverOptions& Opts, const Catalogue& Cat,
                   std::vector<PerFileSetup>& Setups, std::string& Error) {
  std::optional<Config> Fixed;
  if (!Opts.ConfigText.empty()) {
    Fixed = parseConfigText(Opts.ConfigText, "--config", Error);
    if (!Fixed) return false;
  } else if (!Opts.ConfigFile.empty()) {
    Fixed = parseConfigFile(Opts.ConfigFile, Error);
    if (!Fixed) return false;
  }
  std::map<std::string, Pack> PackCache;
  for (const auto& File : Files) {
    auto C = Fixed ? Fixed : configForFile(File, Error);
    if (!C) return false;
    PerFileSetup S;
    S.Checks = C->Checks.value_or(kDefaultChecks);
    if (!Opts.Checks.empty()) S.Checks += "," + Opts.Checks;
    // clang-tidy's rule: a run that would check nothing is an error, not a clean result.
    if (enabledChecks(S.Checks, Cat).empty()) {
      Error = "no checks enabled for '" + File + "' (checks: '" + S.Checks + "'; see --list-checks)";
      return false;
    }
    if (!checkOptionsKnown(*C, Cat, Error)) return false;
    S.WarningsAsErrors = C->WarningsAsErrors.value_or("");
    if (!Opts.WarningsAsErrors.empty()) S.WarningsAsErrors += "," + Opts.WarningsAsErrors;
    S.HeaderFilter = !Opts.HeaderFilter.empty() ? Opts.HeaderFilter : C->HeaderFilterRegex.value_or("");
    if (!compileFilterSetup(S, Error)) return false;
    std::vector<std::string> PackNames;
    if (!selectPacks(C->Packs, Opts.RulesDir, PackNames, Error)) return false;
    for (const auto& Name : PackNames) {
      auto Path = resolvePackPath(Name, Opts.RulesDir);
      auto It = PackCache.find(Path);
      if (It == PackCache.end()) {
        auto P = loadPack(Path, Cat, Error);
        if (!P) return false;
        It = PackCache.emplace(Path, *P).first;
      }
      S.ThePack.add(It->second);
      S.PackPaths.push_back(Path);
    }
    Setups.push_back(std::move(S));
  }
  return true;
}

// The running workers and their result files, for the handler of SIGINT, SIGTERM and SIGHUP: the
// parent kills its workers and removes their files before it dies, instead of leaving them running
// under init and their results in $TMPDIR. One slot per job; each is filled before it is published,
// so the handler reads it without locks or allocation.
struct WorkerSlot {
  std::atomic<pid_t> Pid{0};
  std::atomic<bool> HasPath{false};
  char Path[4096];
};
WorkerSlot Slots[kMaxJobs];
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction SavedActions[std::size(kStopSignals)];

extern "C" void stopWorkersAndDie(int Sig) {
  for (auto& S : Slots) {
    if (pid_t P = S.Pid.load()) ::kill(P, SIGKILL);
    if (S.HasPath.load()) ::unlink(S.Path);
  }
  // Die of the signal itself, so that the caller (a shell, make) sees how the run ended.
  ::signal(Sig, SIG_DFL);
  ::raise(Sig);
}

// Installs the handler for the duration of a run with workers.
class StopSignalGuard {
 public:
  StopSignalGuard() {
    struct sigaction SA{};
    SA.sa_handler = stopWorkersAndDie;
    sigemptyset(&SA.sa_mask);
    for (std::size_t I = 0; I < std::size(kStopSignals); ++I) {
      ::sigaction(kStopSignals[I], nullptr, &SavedActions[I]);
      // A signal ignored by whoever started us (nohup, a background job) stays ignored.
      if (SavedActions[I].sa_handler != SIG_IGN) ::sigaction(kStopSignals[I], &SA, nullptr);
    }
  }
  ~StopSignalGuard() {
    for (std::size_t I = 0; I < std::size(kStopSignals); ++I) ::sigaction(kStopSignals[I], &SavedActions[I], nullptr);
  }
};

// Publishes a worker's result file in its slot for as long as it exists.
class SlotPath {
 public:
  SlotPath(WorkerSlot& S, llvm::StringRef Path) : S(S) {
    if (Path.size() >= sizeof S.Path) return;  // too long to publish; the worker still dies with us
    std::memcpy(S.Path, Path.data(), Path.size());
    S.Path[Path.size()] = 0;
    S.HasPath.store(true);
  }
  ~SlotPath() { S.HasPath.store(false); }

 private:
  WorkerSlot& S;
};

// Runs one file's analysis in a child process (this binary, in worker mode): a crash or a hang
// there costs that file's findings only. The child writes its FileResult as JSON to a temporary file.
FileResult analyzeInWorkerProcess(std::size_t Index, const DriverOptions& Opts, WorkerSlot& Slot, std::string& Failure,
                                  const std::string& CaptureWrappersFile = "") {
  FileResult FR;
  llvm::SmallString<128> ResultPath;
  if (auto EC = llvm::sys::fs::createTemporaryFile("tracelint-worker", "json", ResultPath)) {
    Failure = "cannot create a temporary file for the worker process: " + EC.message();
    return FR;
  }
  llvm::FileRemover Remove(ResultPath);
  SlotPath Published(Slot, ResultPath);
  std::vector<std::string> Args{Opts.SelfCommand.front(), "--internal-worker-file=" + std::to_string(Index),
                                "--internal-worker-result=" + ResultPath.str().str(),
                                "--internal-worker-parent=" + std::to_string(::getpid())};
  if (!CaptureWrappersFile.empty()) Args.push_back("--internal-capture-wrappers=" + CaptureWrappersFile);
  Args.insert(Args.end(), Opts.SelfCommand.begin() + 1, Opts.SelfCommand.end());
  std::vector<llvm::StringRef> Refs(Args.begin(), Args.end());
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(""), llvm::StringRef("")};
  std::string ErrMsg;
  bool ExecFailed = false;
  // ExecuteAndWait's time limit is a process-wide alarm, which -j N workers waiting at once would
  // steal from each other; each worker polls its child with non-blocking waits instead.
  auto Start = std::chrono::steady_clock::now();
  auto Child = llvm::sys::ExecuteNoWait(Args.front(), Refs, std::nullopt, Redirects, 0, &ErrMsg, &ExecFailed);
  if (!ExecFailed) Slot.Pid.store(Child.Pid);
  bool TimedOut = false;
  auto Pause = std::chrono::milliseconds(1);
  llvm::sys::ProcessInfo Done;
  while (!ExecFailed) {
    Done = llvm::sys::Wait(Child, /*SecondsToWait=*/0, &ErrMsg);
    if (Done.Pid != 0) break;
    if (Opts.FileTimeoutSeconds &&
        std::chrono::steady_clock::now() - Start >= std::chrono::seconds(Opts.FileTimeoutSeconds)) {
      TimedOut = true;
      ::kill(Child.Pid, SIGKILL);
      Done = llvm::sys::Wait(Child, std::nullopt, &ErrMsg);
      break;
    }
    std::this_thread::sleep_for(Pause);
    Pause = std::min(Pause * 2, std::chrono::milliseconds(20));
  }
  Slot.Pid.store(0);
  int RC = Done.ReturnCode;
  if (ExecFailed) {
    Failure = "cannot start a worker process: " + ErrMsg;
  } else if (TimedOut) {
    Failure = "exceeded the time budget of " + std::to_string(Opts.FileTimeoutSeconds) +
              " s per file (--file-timeout) and was stopped";
  } else if (RC < 0) {
    Failure = "the analyzer crashed on this file (" + (ErrMsg.empty() ? std::string("killed") : ErrMsg) +
              "); the other files are unaffected; --isolate=false analyzes in-process and prints a stack trace";
  } else {
    std::string ParseError;
    auto Parsed = fileResultFromJson(readFile(ResultPath.str().str()), ParseError);
    if (!Parsed)
      Failure =
          "the worker process ended (exit code " + std::to_string(RC) + ") without a readable result: " + ParseError;
    else {
      FR = std::move(*Parsed);
      Failure = failureReason(FR);
    }
  }
  return FR;
}

}  // namespace

bool runAnalysis(const std::vector<std::string>& Files, const tooling::CompilationDatabase& DB,
                 const DriverOptions& Opts, const Catalogue& Cat, DriverOutput& Out, std::string& Error) {
  for (const auto& [Id, Registered] : checkRegistry()) {
    if (!Cat.find(Id)) {
      Error = "internal error: check '" + Id + "' is registered but not in the rule catalogue";
      return false;
    }
  }
  LineFilter LF;
  if (!parseLineFilter(Opts.LineFilterJson, LF, Error)) return false;
  std::vector<PerFileSetup> Setups;
  if (!prepareSetups(Files, Opts, Cat, Setups, Error)) return false;
  CompileAdjustments Adj{Opts.ExtraArgs, Opts.ExtraArgsBefore, resolveResourceDir(Opts.ResourceDir)};

  std::mutex Mu;
  std::map<std::string, FunctionSummary> AllSummaries;
  std::vector<std::pair<OpenCall, std::size_t>> OpenCalls;          // with the index of the file they come from
  std::map<std::string, std::string> CaptureBegins, CaptureEnds;    // wrappers of all files, by USR
  std::map<std::size_t, std::vector<std::string>> ExternalCallees;  // per file index
  std::map<std::size_t, FileSummaries> Kept;                        // per file index, for --export-summaries
  // The files as given and as findings name them (links resolved): a write in an analyzed file
  // reached from another file's traced function is that file's finding, whichever path named it.
  std::set<std::string> Analyzed(Files.begin(), Files.end());
  for (const auto& F : Files) {
    std::error_code EC;
    if (auto Real = std::filesystem::canonical(F, EC); !EC) Analyzed.insert(Real.string());
  }
  // Filters and grades findings (header filter, line filter, NOLINT); called under Mu.
  FindingFilter Filter(Cat, LF, Analyzed, readFile);
  auto Accept = [&](Finding& F, const PerFileSetup& S, const std::string& File) {
    Filter.accept(F, S, File, Out.Result);
  };
  // What a file's result depends on besides the files it reads (cli/ResultCache.h).
  ResultCache Cache(Opts.CacheDir);
  std::string RulesHash;
  if (Cache.enabled()) {
    std::error_code EC;
    std::vector<std::string> RuleFiles;
    for (auto It = std::filesystem::recursive_directory_iterator(Opts.RulesDir, EC);
         !EC && It != std::filesystem::recursive_directory_iterator(); It.increment(EC))
      if (It->is_regular_file(EC)) RuleFiles.push_back(It->path().string());
    std::sort(RuleFiles.begin(), RuleFiles.end());
    for (const auto& F : RuleFiles) RulesHash += F + "=" + ResultCache::hashFile(F) + "\n";
  }
  auto cacheKey = [&](std::size_t I) {
    const auto& File = Files[I];
    const auto& S = Setups[I];
    std::vector<std::string> Parts{std::filesystem::absolute(File).string(), RulesHash, Adj.ResourceDir};
    for (const auto& C : DB.getCompileCommands(File)) {
      Parts.push_back(C.Directory);
      for (const auto& A : C.CommandLine) Parts.push_back(A);
    }
    Parts.push_back("--extra-arg-before");
    Parts.insert(Parts.end(), Adj.ExtraArgsBefore.begin(), Adj.ExtraArgsBefore.end());
    Parts.push_back("--extra-arg");
    Parts.insert(Parts.end(), Adj.ExtraArgs.begin(), Adj.ExtraArgs.end());
    Parts.push_back("--checks");
    for (const auto& C : enabledChecks(S.Checks, Cat)) Parts.push_back(C);
    for (const auto& P : S.PackPaths) Parts.push_back(P + "=" + ResultCache::hashFile(P));
    return Cache.key(Parts);
  };
  std::size_t Next = 0;
  auto Worker = [&](unsigned Job) {
    for (;;) {
      std::size_t I;
      {
        std::lock_guard<std::mutex> L(Mu);
        if (Next >= Files.size()) return;
        I = Next++;
      }
      const auto& File = Files[I];
      const auto& S = Setups[I];
      FileResult FR;
      std::optional<FileResult> Cached;
      std::string Failure;
      std::error_code EC;
      if (!std::filesystem::exists(File, EC)) {
        Failure = "file not found";
      } else if (std::filesystem::is_directory(File, EC)) {
        Failure = "'" + File + "' is a directory, not a source file";
      } else if (DB.getCompileCommands(File).empty()) {
        Failure = "no compile command for this file in the compilation database";
      } else if (auto Key = Cache.enabled() ? cacheKey(I) : ""; !Key.empty() && (Cached = Cache.lookup(Key))) {
        FR = std::move(*Cached);
        std::lock_guard<std::mutex> L(Mu);
        ++Out.CachedFiles;
      } else {
        if (Opts.Isolate && !Opts.SelfCommand.empty()) {
          FR = analyzeInWorkerProcess(I, Opts, Slots[Job], Failure);
        } else {
          FR = analyzeFile(File, DB, Adj, S.ThePack, enabledChecks(S.Checks, Cat));
          Failure = failureReason(FR);
        }
        if (Failure.empty() && !Key.empty()) Cache.store(Key, FR);
      }
      std::lock_guard<std::mutex> L(Mu);
      Out.Result.FilesAnalyzed.push_back(File);
      if (!Failure.empty()) Out.Result.Failures.push_back({File, Failure});
      for (auto& F : FR.Findings) Accept(F, S, File);
      if (Opts.Export) Kept[I] = FR.Summaries;
      for (auto& [Usr, Summary] : FR.Summaries.Functions) AllSummaries.emplace(Usr, std::move(Summary));
      for (auto& O : FR.Summaries.OpenCalls) OpenCalls.emplace_back(std::move(O), I);
      CaptureBegins.insert(FR.Summaries.CaptureBegins.begin(), FR.Summaries.CaptureBegins.end());
      CaptureEnds.insert(FR.Summaries.CaptureEnds.begin(), FR.Summaries.CaptureEnds.end());
      if (!FR.Summaries.ExternalCallees.empty()) ExternalCallees[I] = std::move(FR.Summaries.ExternalCallees);
      // Unmatched NOLINTBEGIN/END in the main file are errors, as in clang-tidy.
      if (std::filesystem::is_regular_file(File, EC)) {
        for (const auto& E : Filter.nolintOf(File).errors()) {
          Finding F;
          F.CheckId = "tracelint-nolint";
          F.Level = Severity::Error;
          F.Where = {File, E.Line, 1};
          F.Message = E.Message;
          Out.Result.Findings.push_back(std::move(F));
        }
      }
    }
  };
  unsigned Jobs = effectiveJobs(Opts.Jobs, Files.size());
  std::optional<StopSignalGuard> StopWorkersOnSignal;
  if (Opts.Isolate) StopWorkersOnSignal.emplace();
  std::vector<std::thread> Threads;
  for (unsigned J = 1; J < Jobs; ++J) Threads.emplace_back(Worker, J);
  Worker(0);
  for (auto& T : Threads) T.join();

  // A capture that begins or ends in a function of another file: the files that call such functions
  // are analyzed again, one after the other, with those functions known as capture wrappers. What
  // the first pass found is found again; the duplicates go below.
  if (!CaptureBegins.empty() || !CaptureEnds.empty()) {
    llvm::SmallString<128> WrappersPath;
    std::optional<llvm::FileRemover> RemoveWrappers;
    for (const auto& [I, Callees] : ExternalCallees) {
      bool Calls = std::any_of(Callees.begin(), Callees.end(),
                               [&](const std::string& U) { return CaptureBegins.count(U) || CaptureEnds.count(U); });
      if (!Calls) continue;
      FileResult FR;
      std::string Failure;
      if (Opts.Isolate && !Opts.SelfCommand.empty()) {
        if (WrappersPath.empty()) {
          if (llvm::sys::fs::createTemporaryFile("tracelint-wrappers", "json", WrappersPath)) break;
          RemoveWrappers.emplace(WrappersPath);
          std::ofstream(WrappersPath.str().str())
              << nlohmann::json{{"begins", CaptureBegins}, {"ends", CaptureEnds}}.dump();
        }
        FR = analyzeInWorkerProcess(I, Opts, Slots[0], Failure, WrappersPath.str().str());
      } else {
        Pack P = Setups[I].ThePack;
        P.addCaptureWrappers(CaptureBegins, CaptureEnds);
        FR = analyzeFile(Files[I], DB, Adj, P, enabledChecks(Setups[I].Checks, Cat));
        Failure = failureReason(FR);
      }
      if (!Failure.empty()) continue;  // the first pass's result stands
      for (auto& F : FR.Findings) Accept(F, Setups[I], Files[I]);
      if (Opts.Export)
        Kept[I].OpenCalls.insert(Kept[I].OpenCalls.end(), FR.Summaries.OpenCalls.begin(), FR.Summaries.OpenCalls.end());
      for (auto& O : FR.Summaries.OpenCalls) OpenCalls.emplace_back(std::move(O), I);
    }
  }
  StopWorkersOnSignal.reset();

  // What `tracelint merge` needs from this run: its findings before the cross-file ones (the merge
  // resolves those over every shard's summaries), and each file's summaries with the settings its
  // cross-file findings are filtered with and the texts they point into.
  if (Opts.Export) {
    Out.Local.Result = Out.Result;
    SourceText LocalSources;
    for (const auto& [F, T] : Filter.texts()) LocalSources.add(F, T);
    finishRun(Out.Local.Result, LocalSources);
    auto Keep = [](std::map<std::string, std::string>& Into, FindingFilter& From, const SourcePoint& P) {
      if (!P.File.empty() && !Into.count(P.File)) Into[P.File] = From.text(P.File);
    };
    for (const auto& F : Out.Local.Result.Findings) {
      Keep(Out.Local.Sources, Filter, F.Where);
      for (const auto& N : F.Notes) Keep(Out.Local.Sources, Filter, N.Where);
      for (const auto& X : F.Fixes) Keep(Out.Local.Sources, Filter, X.Begin);
    }
    Out.Summaries.LineFilterJson = Opts.LineFilterJson;
    for (auto& [I, Summaries] : Kept) {
      UnitSummary U;
      U.File = Files[I];
      std::error_code EC;
      auto Real = std::filesystem::canonical(Files[I], EC);
      U.RealPath = EC ? Files[I] : Real.string();
      U.HeaderFilter = Setups[I].HeaderFilter;
      U.WarningsAsErrors = Setups[I].WarningsAsErrors;
      U.Summaries = std::move(Summaries);
      for (const auto& [Usr, Fn] : U.Summaries.Functions)
        for (const auto& W : Fn.Writes) Keep(U.Sources, Filter, W.Where);
      for (const auto& O : U.Summaries.OpenCalls)
        for (const auto& N : O.Notes) Keep(U.Sources, Filter, N.Where);
      Out.Summaries.Units.push_back(std::move(U));
    }
  }

  // Calls from traced regions into functions defined in other analyzed files.
  // Each open call goes to the resolver of the check that recorded it.
  for (auto& [Open, Index] : OpenCalls) {
    const auto* Resolve = crossFileResolver(Open.CheckId);
    if (!Resolve) continue;  // recorded by this binary's checks, so never taken
    for (auto& F : (*Resolve)({Open}, AllSummaries)) Accept(F, Setups[Index], Files[Index]);
  }

  for (const auto& [F, T] : Filter.texts()) Out.Sources.add(F, T);
  finishRun(Out.Result, Out.Sources);
  return true;
}

int runWorker(const std::vector<std::string>& Files, std::size_t Index, const tooling::CompilationDatabase& DB,
              const DriverOptions& Opts, const Catalogue& Cat, const std::string& ResultPath) {
  std::string Error;
  std::vector<PerFileSetup> Setups;
  if (Index >= Files.size() || !prepareSetups(Files, Opts, Cat, Setups, Error)) return 2;
  CompileAdjustments Adj{Opts.ExtraArgs, Opts.ExtraArgsBefore, resolveResourceDir(Opts.ResourceDir)};
  auto& S = Setups[Index];
  if (!Opts.CaptureWrappersFile.empty()) {
    try {
      auto J = nlohmann::json::parse(readFile(Opts.CaptureWrappersFile));
      S.ThePack.addCaptureWrappers(J.at("begins").get<std::map<std::string, std::string>>(),
                                   J.at("ends").get<std::map<std::string, std::string>>());
    } catch (const std::exception&) {
      return 2;
    }
  }
  auto FR = analyzeFile(Files[Index], DB, Adj, S.ThePack, enabledChecks(S.Checks, Cat));
  std::ofstream Out(ResultPath, std::ios::binary | std::ios::trunc);
  Out << toJson(FR);
  return Out.flush() ? 0 : 2;
}

}  // namespace tracelint
