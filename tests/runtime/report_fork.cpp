// Helper of Report.* (report_test.cpp), run with TL_REPORT set to a relative path: observes a
// hazard, changes directory to argv[1], forks; the child observes another hazard and exits after
// its parent has exited (and written its report). Prints "child <pid>".
#include <sys/wait.h>
#include <tl/tl.h>
#include <unistd.h>

#include <cstdio>

namespace {
int g_parent_writes = 0;
int g_child_writes = 0;

void trace_writing(int& global, const char* name) {
  auto f = tl::function(
      [&](const tl::tensor& x) {
        ++global;
        return x;
      },
      {.name = name});
  f(tl::ones({1}));
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  trace_writing(g_parent_writes, "parent_fn");
  if (chdir(argv[1]) != 0) return 3;
  int parent_alive[2];
  if (pipe(parent_alive) != 0) return 4;
  std::fflush(stdout);
  pid_t child = fork();
  if (child < 0) return 5;
  if (child == 0) {
    close(parent_alive[1]);
    trace_writing(g_child_writes, "child_fn");
    std::printf("child %d\n", static_cast<int>(getpid()));
    std::fflush(stdout);
    char byte;
    while (read(parent_alive[0], &byte, 1) > 0) {
    }  // end of file: the parent has exited, its report written
    return 0;
  }
  close(parent_alive[0]);
  return 0;
}
