#include "cli/GitDiff.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

namespace tracelint {

namespace {

std::string slurp(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  return Buffer ? (*Buffer)->getBuffer().str() : std::string();
}

// Runs git with Args; its standard output in Out. False with Error holding git's message.
bool runGit(const std::string& Git, const std::vector<std::string>& Args, std::string& Out, std::string& Error) {
  llvm::SmallString<128> OutPath, ErrPath;
  if (auto EC = llvm::sys::fs::createTemporaryFile("tracelint-git", "out", OutPath)) {
    Error = "cannot create a temporary file: " + EC.message();
    return false;
  }
  llvm::FileRemover RemoveOut(OutPath);
  if (auto EC = llvm::sys::fs::createTemporaryFile("tracelint-git", "err", ErrPath)) {
    Error = "cannot create a temporary file: " + EC.message();
    return false;
  }
  llvm::FileRemover RemoveErr(ErrPath);
  std::vector<llvm::StringRef> Argv{Git};
  for (const auto& A : Args) Argv.push_back(A);
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(OutPath),
                                                llvm::StringRef(ErrPath)};
  std::string ExecError;
  int RC = llvm::sys::ExecuteAndWait(Git, Argv, std::nullopt, Redirects, 0, 0, &ExecError);
  Out = slurp(OutPath);
  if (RC == 0) return true;
  auto Message = slurp(ErrPath);
  while (!Message.empty() && (Message.back() == '\n' || Message.back() == '\r')) Message.pop_back();
  std::string Command = "git";
  for (const auto& A : Args) Command += " " + A;
  Error = "'" + Command + "' failed" + (RC < 0 ? " to run: " + ExecError : " (exit code " + std::to_string(RC) + ")") +
          (Message.empty() ? "" : ": " + Message);
  return false;
}

}  // namespace

std::optional<GitChange> changedLines(const std::string& Rev, std::string& Error) {
  auto Git = llvm::sys::findProgramByName("git");
  if (!Git) {
    Error = "git is not on PATH; --diff needs it";
    return std::nullopt;
  }
  if (Rev.empty() || Rev.front() == '-') {
    Error = "'" + Rev + "' is not a revision";
    return std::nullopt;
  }
  GitChange Change;
  if (!runGit(*Git, {"rev-parse", "--show-toplevel"}, Change.Root, Error)) return std::nullopt;
  while (!Change.Root.empty() && Change.Root.back() == '\n') Change.Root.pop_back();
  std::string Ignored;
  // "<rev>^{commit}" checks that Rev names a commit before the diff, for a clearer message.
  if (!runGit(*Git, {"rev-parse", "--verify", "--quiet", Rev + "^{commit}"}, Ignored, Error)) {
    Error = "'" + Rev + "' names no commit in " + Change.Root;
    return std::nullopt;
  }
  std::string Diff;
  if (!runGit(*Git,
              {"-C", Change.Root, "diff", "-U0", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/",
               Rev, "--"},
              Diff, Error))
    return std::nullopt;
  auto Files = parseUnifiedDiff(Diff, Error);
  if (!Files) {
    Error = "cannot read git's diff: " + Error;
    return std::nullopt;
  }
  Change.Files = std::move(*Files);
  return Change;
}

}  // namespace tracelint
