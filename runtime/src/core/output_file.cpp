#include "core/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace tl::detail {

namespace {

std::string errno_text(const char* step) { return std::string(step) + ": " + std::strerror(errno); }

// Writes all of `text`, retrying short writes and EINTR.
bool write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// The file a chain of symbolic links ends at, which need not exist yet (a dangling link names the
// file to create). /proc and /dev links are not followed: their targets ("pipe:[123]") are no paths.
std::string final_target(std::string path) {
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
    char buf[PATH_MAX];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
    if (n < 0) return path;
    std::string next(buf, static_cast<std::size_t>(n));
    path = next.front() == '/' ? next : directory_of(path) + "/" + next;
  }
  return path;
}

std::string write_in_place(const std::string& path, const std::string& text) {
  // O_APPEND: /dev/stdout may be a shell redirection into a file that already holds other output.
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return errno_text("open");
  bool ok = write_all(fd, text);
  std::string why = ok ? "" : errno_text("write");
  if (::close(fd) != 0 && ok) why = errno_text("close");
  return why;
}

}  // namespace

std::string write_output_file(const std::string& path, const std::string& text) {
  if (path.empty()) return "empty path";
  struct stat st;
  bool exists = ::stat(path.c_str(), &st) == 0;
  bool special_name = path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0;
  if ((exists && !S_ISREG(st.st_mode)) || special_name) {
    if (exists && S_ISDIR(st.st_mode)) return "is a directory";
    return write_in_place(path, text);
  }
  std::string target = final_target(path);
  std::string temp = target + ".XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return errno_text("create a temporary file beside it");
  // mkstemp creates 0600; a report replaces or creates a file readable as the umask allows.
  mode_t mode = 0666;
  if (exists) {
    mode = st.st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode &= ~mask;
  }
  ::fchmod(fd, mode);
  bool ok = write_all(fd, text);
  std::string why = ok ? "" : errno_text("write");
  if (::close(fd) != 0 && ok) why = errno_text("close");
  if (why.empty() && std::rename(temp.c_str(), target.c_str()) != 0) why = errno_text("rename");
  if (!why.empty()) ::unlink(temp.c_str());
  return why;
}

}  // namespace tl::detail
