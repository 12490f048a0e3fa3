#include "output/OutputFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

namespace tracelint {

std::string resolveOutputPath(const std::string& Path, std::string& Error) {
  std::string Cur = Path;
  // The kernel's own limit on nested links (MAXSYMLINKS): a loop is an error, not a hang.
  for (int Hops = 0; Hops < 40; ++Hops) {
    struct stat St{};
    if (::lstat(Cur.c_str(), &St) != 0 || !S_ISLNK(St.st_mode)) return Cur;
    std::vector<char> Buf(static_cast<std::size_t>(St.st_size > 0 ? St.st_size : 255) + 1);
    auto N = ::readlink(Cur.c_str(), Buf.data(), Buf.size());
    if (N < 0 || static_cast<std::size_t>(N) >= Buf.size()) return Cur;  // changed under us: let open() decide
    std::string Link(Buf.data(), static_cast<std::size_t>(N));
    if (Link.empty() || Link[0] != '/') {
      auto Slash = Cur.rfind('/');
      Link = (Slash == std::string::npos ? std::string() : Cur.substr(0, Slash + 1)) + Link;
    }
    Cur = Link;
  }
  Error = std::strerror(ELOOP);
  return "";
}

int writeAllToFd(int Fd, const std::string& Text) {
  const char* P = Text.data();
  std::size_t Left = Text.size();
  while (Left) {
    auto N = ::write(Fd, P, Left);
    if (N < 0 && errno == EINTR) continue;
    if (N < 0) return errno;
    if (N == 0) return EIO;
    P += N;
    Left -= static_cast<std::size_t>(N);
  }
  return 0;
}

std::string stageBeside(const std::string& Target, const std::string& Text, unsigned Mode, std::string& Error) {
  std::string Tmp = Target + ".tracelint-XXXXXX";
  int Fd = ::mkstemp(Tmp.data());
  if (Fd < 0) {
    Error = "cannot create a temporary file beside it: " + std::string(std::strerror(errno));
    return "";
  }
  int Err = writeAllToFd(Fd, Text);
  // fsync before the caller's rename, so a crash leaves the old or the new text, never an empty file.
  if (!Err && ::fchmod(Fd, Mode) != 0) Err = errno;
  if (!Err && ::fsync(Fd) != 0 && errno != EINVAL) Err = errno;
  if (::close(Fd) != 0 && !Err) Err = errno;
  if (Err) {
    std::remove(Tmp.c_str());
    Error = std::strerror(Err);
    return "";
  }
  return Tmp;
}

namespace {

// /dev/stdout, /dev/fd/N and /proc/self/fd/N name descriptors someone else opened, maybe a file
// opened for appending (`>> log`): they are written through, never replaced by a rename.
bool namesAnOpenDescriptor(const std::string& Path) {
  std::error_code EC;
  auto Abs = std::filesystem::absolute(Path, EC).lexically_normal().string();
  return Abs.rfind("/dev/", 0) == 0 || Abs.rfind("/proc/", 0) == 0;
}

}  // namespace

bool writeInPlace(const std::string& Target, const std::string& Text, std::string& Error) {
  int Fd = ::open(Target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (Fd < 0) {
    Error = std::strerror(errno);
    return false;
  }
  int Err = writeAllToFd(Fd, Text);
  if (!Err && ::ftruncate(Fd, static_cast<off_t>(Text.size())) != 0) Err = errno;
  if (!Err && ::fsync(Fd) != 0 && errno != EINVAL) Err = errno;
  if (::close(Fd) != 0 && !Err) Err = errno;
  if (Err) Error = std::strerror(Err);
  return !Err;
}

bool writeOutputFile(const std::string& Path, const std::string& Text, std::string& Error) {
  auto Fail = [&](const std::string& Why) {
    Error = "cannot write '" + Path + "': " + Why;
    return false;
  };
  struct stat St{};
  bool Exists = ::stat(Path.c_str(), &St) == 0;
  if (Exists && S_ISDIR(St.st_mode)) return Fail("it is a directory");
  if (Exists && (!S_ISREG(St.st_mode) || namesAnOpenDescriptor(Path))) {
    // No O_CREAT: the device, pipe or descriptor exists, and nothing should be created in its place.
    // The kernel follows every link here, including /proc's, which name no path.
    int Fd = ::open(Path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY | (S_ISREG(St.st_mode) ? O_APPEND : 0));
    if (Fd < 0) return Fail(std::strerror(errno));
    int Err = writeAllToFd(Fd, Text);
    if (::close(Fd) != 0 && !Err) Err = errno;
    return Err ? Fail(std::strerror(Err)) : true;
  }
  std::string Why;
  std::string Target = resolveOutputPath(Path, Why);
  if (Target.empty()) return Fail(Why);
  unsigned Mode;
  if (Exists) {
    Mode = St.st_mode & 07777;
  } else {
    // What open(O_CREAT, 0666) would give a new file.
    mode_t Mask = ::umask(0);
    ::umask(Mask);
    Mode = 0666 & ~Mask;
  }
  struct stat TargetSt{};
  bool TargetExists = ::stat(Target.c_str(), &TargetSt) == 0;
  // A file with other hard links is written in place: a rename would leave the other names with
  // the old text.
  if (TargetExists && TargetSt.st_nlink > 1) return writeInPlace(Target, Text, Error) || Fail(Error);
  std::string Tmp = stageBeside(Target, Text, Mode, Why);
  if (Tmp.empty()) return Fail(Why);
  // The new file gets the old one's owner (tracelint run as root must not hand a user's file to
  // root); where that is not allowed, the old file is written in place instead.
  if (TargetExists && (TargetSt.st_uid != ::geteuid() || TargetSt.st_gid != ::getegid()) &&
      (::chown(Tmp.c_str(), TargetSt.st_uid, TargetSt.st_gid) != 0 || ::chmod(Tmp.c_str(), Mode) != 0)) {
    std::remove(Tmp.c_str());
    return writeInPlace(Target, Text, Error) || Fail(Error);
  }
  if (std::rename(Tmp.c_str(), Target.c_str()) != 0) {
    int Err = errno;
    std::remove(Tmp.c_str());
    return Fail(std::strerror(Err));
  }
  return true;
}

}  // namespace tracelint
