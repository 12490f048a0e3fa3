#pragma once
// Runs a shell command and returns what it printed on stdout: for tests that need a process of
// their own (settings the runtime reads once, a fork, a large static arena).
#include <cstdio>
#include <string>

namespace tl_test {

// Reads until every process holding the command's stdout has exited (a forked child included).
// `status` receives pclose's result.
inline std::string command_output(const std::string& command, int* status = nullptr) {
  FILE* out = popen(command.c_str(), "r");
  if (!out) return "popen failed";
  std::string text;
  char buf[512];
  while (std::fgets(buf, sizeof buf, out)) text += buf;
  int done = pclose(out);
  if (status) *status = done;
  return text;
}

}  // namespace tl_test
