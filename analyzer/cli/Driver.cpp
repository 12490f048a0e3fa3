#include "cli/Driver.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
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
#include "cli/RunSetup.h"
#include "core/Config.h"
#include "core/Glob.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
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

namespace {

std::string readFile(const std::string& Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

// The running workers, for the handler of SIGINT, SIGTERM and SIGHUP: the parent kills its workers
// before it dies, instead of leaving them running under init. One slot per job, read by the handler
// without locks or allocation.
struct WorkerSlot {
  std::atomic<pid_t> Pid{0};
};
WorkerSlot Slots[kMaxJobs];
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction SavedActions[std::size(kStopSignals)];

extern "C" void stopWorkersAndDie(int Sig) {
  for (auto& S : Slots)
    if (pid_t P = S.Pid.load()) ::kill(P, SIGKILL);
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

// The worker's end of its socket, as the worker sees it.
constexpr int kWorkerFd = 3;

// Writes all of Text to a socket; false when the other end is gone (no SIGPIPE).
bool sendAll(int Fd, const std::string& Text) {
  for (std::size_t Done = 0; Done < Text.size();) {
    ssize_t N = ::send(Fd, Text.data() + Done, Text.size() - Done, MSG_NOSIGNAL);
    if (N < 0 && errno == EINTR) continue;
    if (N <= 0) return false;
    Done += static_cast<std::size_t>(N);
  }
  return true;
}

// How a reaped worker ended, in the words of the "analysis failed" record.
std::string workerEnd(int Status) {
  if (WIFSIGNALED(Status)) {
    std::string Why = ::strsignal(WTERMSIG(Status));
    if (WCOREDUMP(Status)) Why += " (core dumped)";
    return "the analyzer crashed on this file (" + Why +
           "); the other files are unaffected; --isolate=false analyzes in-process and prints a stack trace";
  }
  return "the worker process ended (exit code " + std::to_string(WIFEXITED(Status) ? WEXITSTATUS(Status) : -1) +
         ") without a readable result";
}

// A long-lived worker process (this binary in worker mode) that analyzes the files its parent names,
// one at a time, over a socket: a crash or a hang costs the file in flight only, and the next file
// gets a new worker. One process per file would pay, per file, the start (loading and relocating the
// Clang and LLVM libraries) and above all a fresh address space whose every heap page the parse
// faults in again (docs/reliability.md has the measurements); a worker that lives on reuses its heap
// from file to file, as an in-process run does.
//
// Each belongs to one job thread and is stopped before that thread ends: the worker's
// PR_SET_PDEATHSIG fires when the thread that started it exits, not the process.
class WorkerProcess {
 public:
  WorkerProcess(const DriverOptions& Opts, WorkerSlot& Slot) : Opts(Opts), Slot(Slot) {}
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;
  ~WorkerProcess() { stop(); }

  // Analyzes Files[Index] (with other files' capture wrappers when CaptureWrappersFile is given).
  // Failure says why the file was not analyzed, as analyzeFile's failureReason would.
  FileResult analyze(std::size_t Index, std::string& Failure, const std::string& CaptureWrappersFile = "") {
    FileResult FR;
    auto Start = std::chrono::steady_clock::now();
    std::string Request = std::to_string(Index) + "\t" + CaptureWrappersFile + "\n";
    // A worker that died between two files (nothing runs there but the wait for the next request)
    // is replaced once; the file is not blamed for it.
    bool Sent = false;
    for (int Attempt = 0; Attempt < 2 && !Sent; ++Attempt) {
      if (Pid == 0 && !start(Failure)) return FR;
      Sent = sendAll(Fd, Request);
      if (!Sent) reap(/*Kill=*/true);
    }
    if (!Sent) {
      Failure = "cannot send the file to a worker process: " + std::string(std::strerror(errno));
      return FR;
    }
    std::size_t Scanned = 0;
    for (;;) {
      auto Newline = Buffer.find('\n', Scanned);
      if (Newline != std::string::npos) {
        std::string ParseError;
        auto Parsed = fileResultFromJson(Buffer.substr(0, Newline), ParseError);
        Buffer.erase(0, Newline + 1);
        if (!Parsed) {
          Failure = "the worker process sent an unreadable result: " + ParseError;
          reap(/*Kill=*/true);  // out of step with us: its next answer cannot be trusted either
        } else {
          FR = std::move(*Parsed);
          Failure = failureReason(FR);
        }
        return FR;
      }
      Scanned = Buffer.size();
      int Wait = -1;
      if (Opts.FileTimeoutSeconds) {
        auto Left = std::chrono::seconds(Opts.FileTimeoutSeconds) - (std::chrono::steady_clock::now() - Start);
        Wait = static_cast<int>(
            std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(Left).count()));
        if (Wait == 0) {
          reap(/*Kill=*/true);
          Failure = "exceeded the time budget of " + std::to_string(Opts.FileTimeoutSeconds) +
                    " s per file (--file-timeout) and was stopped";
          return FR;
        }
      }
      pollfd P{Fd, POLLIN, 0};
      int Ready = ::poll(&P, 1, Wait);
      if (Ready < 0 && errno == EINTR) continue;
      if (Ready == 0) continue;  // the deadline, checked above
      char Chunk[65536];
      ssize_t N = Ready < 0 ? -1 : ::read(Fd, Chunk, sizeof Chunk);
      if (N < 0 && errno == EINTR) continue;
      if (N > 0) {
        Buffer.append(Chunk, static_cast<std::size_t>(N));
        continue;
      }
      // End of file or an error: the worker is gone, with this file in flight.
      Failure = workerEnd(reap(/*Kill=*/false));
      return FR;
    }
  }

  // Ends the worker: it exits when its socket closes.
  void stop() {
    if (Pid != 0) reap(/*Kill=*/false);
  }

 private:
  bool start(std::string& Failure) {
    int Pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, Pair) != 0) {
      Failure = "cannot start a worker process: socketpair: " + std::string(std::strerror(errno));
      return false;
    }
    std::vector<std::string> Args{Opts.SelfCommand.front(), "--internal-worker-fd=" + std::to_string(kWorkerFd),
                                  "--internal-worker-parent=" + std::to_string(::getpid())};
    Args.insert(Args.end(), Opts.SelfCommand.begin() + 1, Opts.SelfCommand.end());
    std::vector<char*> Argv;
    for (auto& A : Args) Argv.push_back(A.data());
    Argv.push_back(nullptr);
    posix_spawn_file_actions_t Actions;
    posix_spawn_file_actions_init(&Actions);
    posix_spawn_file_actions_addopen(&Actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&Actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&Actions, 2, "/dev/null", O_WRONLY, 0);
    // dup2 clears close-on-exec on the copy only: the worker keeps its end and nothing else of ours.
    posix_spawn_file_actions_adddup2(&Actions, Pair[1], kWorkerFd);
    pid_t Child = 0;
    int Err = ::posix_spawn(&Child, Args.front().c_str(), &Actions, nullptr, Argv.data(), environ);
    posix_spawn_file_actions_destroy(&Actions);
    ::close(Pair[1]);
    if (Err != 0) {
      ::close(Pair[0]);
      Failure = "cannot start a worker process: " + std::string(std::strerror(Err));
      return false;
    }
    Pid = Child;
    Fd = Pair[0];
    Buffer.clear();
    Slot.Pid.store(Pid);
    return true;
  }

  // Closes our end (a live worker then exits on its own) or kills the worker, and waits for it.
  // Returns its wait status.
  int reap(bool Kill) {
    if (Kill) ::kill(Pid, SIGKILL);
    ::close(Fd);
    Fd = -1;
    int Status = 0;
    while (::waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
    }
    Slot.Pid.store(0);
    Pid = 0;
    Buffer.clear();
    return Status;
  }

  const DriverOptions& Opts;
  WorkerSlot& Slot;
  pid_t Pid = 0;
  int Fd = -1;
  std::string Buffer;  // what the worker sent that is not yet a whole line
};

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
  CompileAdjustments Adj{Opts.ExtraArgs, Opts.ExtraArgsBefore, resolveResourceDir(Opts.ResourceDir), Opts.Overlays};

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
  // The filters read what the checks read: the overlay's text where there is one.
  FindingFilter Filter(Cat, LF, Analyzed, [&](const std::string& Path) {
    auto It = Opts.Overlays.find(Path);
    return It != Opts.Overlays.end() ? It->second : readFile(Path);
  });
  auto Accept = [&](Finding& F, const PerFileSetup& S, const std::string& File) {
    Filter.accept(F, S, File, Out.Result);
  };
  // What a file's result depends on besides the files it reads (cli/ResultCache.h).
  // A result computed on an editor's buffer is no result for the file on disk.
  ResultCache Cache(Opts.Overlays.empty() ? Opts.CacheDir : std::string());
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
    // The main file's own text too: its dependency entry alone would be checked after the lookup.
    std::vector<std::string> Parts{std::filesystem::absolute(File).string(), ResultCache::hashFile(File), RulesHash,
                                   Adj.ResourceDir};
    // The compiler's include paths from the environment.
    for (const char* Var : {"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH"}) {
      const char* Value = std::getenv(Var);
      Parts.push_back(std::string(Var) + "=" + (Value ? Value : ""));
    }
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
  unsigned Jobs = effectiveJobs(Opts.Jobs, Files.size());
  const bool InWorkers = Opts.Isolate && !Opts.SelfCommand.empty();
  std::vector<std::unique_ptr<WorkerProcess>> Pool;
  for (unsigned J = 0; J < Jobs; ++J) Pool.push_back(std::make_unique<WorkerProcess>(Opts, Slots[J]));
  std::size_t Next = 0;
  auto Worker = [&](unsigned Job) {
    for (;;) {
      std::size_t I;
      {
        std::lock_guard<std::mutex> L(Mu);
        if (Next >= Files.size()) break;
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
      } else if (!std::filesystem::is_regular_file(File, EC)) {
        // /dev/zero reads as nothing and a FIFO would be read once, by the parser only.
        Failure = "'" + File + "' is not a regular file (a device, a FIFO or a socket), not a source file";
      } else if (DB.getCompileCommands(File).empty()) {
        Failure = "no compile command for this file in the compilation database";
      } else if (auto Key = Cache.enabled() ? cacheKey(I) : ""; !Key.empty() && (Cached = Cache.lookup(Key))) {
        FR = std::move(*Cached);
        std::lock_guard<std::mutex> L(Mu);
        ++Out.CachedFiles;
      } else {
        if (InWorkers) {
          FR = Pool[Job]->analyze(I, Failure);
        } else {
          FR = analyzeFile(File, DB, Adj, S.ThePack, enabledChecks(S.Checks, Cat));
          Failure = failureReason(FR);
        }
        if (Failure.empty() && !Key.empty()) Cache.store(Key, FR);
      }
      std::lock_guard<std::mutex> L(Mu);
      Out.Result.FilesAnalyzed.push_back(File);
      if (Opts.Progress && Files.size() > 1)
        std::cerr << "[" << Out.Result.FilesAnalyzed.size() << "/" << Files.size() << "] " << File
                  << (Failure.empty() ? "" : " (analysis failed)") << std::endl;
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
    // A worker dies with the thread that started it (PR_SET_PDEATHSIG): each thread ends its own.
    // The main thread's (job 0) stays for the second pass below.
    if (Job != 0) Pool[Job]->stop();
  };
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
      if (InWorkers) {
        if (WrappersPath.empty()) {
          if (llvm::sys::fs::createTemporaryFile("tracelint-wrappers", "json", WrappersPath)) break;
          RemoveWrappers.emplace(WrappersPath);
          std::ofstream(WrappersPath.str().str())
              << nlohmann::json{{"begins", CaptureBegins}, {"ends", CaptureEnds}}.dump();
        }
        FR = Pool[0]->analyze(I, Failure, WrappersPath.str().str());
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
  Pool.clear();
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
    for (const auto& F : Out.Local.Result.OutsideLineFilter) Keep(Out.Local.Sources, Filter, F.Where);
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

int serveWorker(const std::vector<std::string>& Files, int Fd, const tooling::CompilationDatabase& DB,
                const DriverOptions& Opts, const Catalogue& Cat) {
  // The socket is ours alone: nothing this process might start inherits it.
  ::fcntl(Fd, F_SETFD, FD_CLOEXEC);
  std::string Error;
  std::vector<PerFileSetup> Setups;
  if (!prepareSetups(Files, Opts, Cat, Setups, Error)) return 2;
  CompileAdjustments Adj{Opts.ExtraArgs, Opts.ExtraArgsBefore, resolveResourceDir(Opts.ResourceDir), Opts.Overlays};
  std::string Pending;
  for (;;) {
    // A request is one line: the file's index, a tab, the capture wrappers file or nothing.
    auto Newline = Pending.find('\n');
    if (Newline == std::string::npos) {
      char Chunk[4096];
      ssize_t N = ::read(Fd, Chunk, sizeof Chunk);
      if (N < 0 && errno == EINTR) continue;
      if (N <= 0) return 0;  // the parent is done with us (or gone)
      Pending.append(Chunk, static_cast<std::size_t>(N));
      continue;
    }
    std::string Line = Pending.substr(0, Newline);
    Pending.erase(0, Newline + 1);
    auto Tab = Line.find('\t');
    if (Tab == std::string::npos || Tab == 0 || Tab > 18 ||
        !std::all_of(Line.begin(), Line.begin() + Tab, [](char C) { return C >= '0' && C <= '9'; }))
      return 2;
    std::size_t Index = std::stoull(Line.substr(0, Tab));
    std::string WrappersFile = Line.substr(Tab + 1);
    if (Index >= Files.size()) return 2;
    const auto& S = Setups[Index];
    Pack P = S.ThePack;
    if (!WrappersFile.empty()) {
      try {
        auto J = nlohmann::json::parse(readFile(WrappersFile));
        P.addCaptureWrappers(J.at("begins").get<std::map<std::string, std::string>>(),
                             J.at("ends").get<std::map<std::string, std::string>>());
      } catch (const std::exception&) {
        return 2;
      }
    }
    auto FR = analyzeFile(Files[Index], DB, Adj, P, enabledChecks(S.Checks, Cat));
    if (!sendAll(Fd, toJson(FR) + "\n")) return 2;
  }
}

}  // namespace tracelint
