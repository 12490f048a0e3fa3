// Helper of Settings.* (settings_test.cpp): calls a traced function twice under whatever TL_*
// settings the environment holds, and prints what the program sees: "ran", each host-mutation
// observation as "mutation <entity> at <location>", or "error: <what>" (exit 1). With an argument
// "thread", the trace starts the process's first thread.
#include <tl/tl.h>

#include <cstdio>
#include <cstring>
#include <thread>

int g_probe_writes = 0;

int main(int argc, char** argv) {
  bool start_thread = argc > 1 && std::strcmp(argv[1], "thread") == 0;
  try {
    auto f = tl::function(
        [&](const tl::tensor& x) {
          ++g_probe_writes;
          if (start_thread) std::thread([] {}).join();
          return x;
        },
        {.name = "probe"});
    f(tl::ones({1}));
    f(tl::ones({1}));
  } catch (const tl::error& e) {
    std::printf("error: %s\n", e.what());
    return 1;
  }
  for (const auto& o : tl::observations())
    if (o.rule == "trace-host-mutation") std::printf("mutation %s at %s\n", o.entity.c_str(), o.location.c_str());
  std::printf("ran\n");
  return 0;
}
