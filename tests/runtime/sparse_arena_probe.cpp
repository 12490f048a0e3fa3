// Helper of SparseArena.* (sparse_arena_test.cpp): a 512 MiB static arena of which the program
// touched three pages; a trace writes one touched and one untouched page. Prints each
// host-mutation observation as "mutation <entity> at <location>", then "peak_rss_kib <n>".
#include <sys/resource.h>
#include <tl/tl.h>

#include <cstdio>

constexpr std::size_t kArenaBytes = std::size_t{512} << 20;
char g_sparse_arena[kArenaBytes];  // .bss: never touched pages read as zeros and take no memory

int main() {
  g_sparse_arena[10 * 4096] = 1;
  g_sparse_arena[kArenaBytes / 2] = 2;
  g_sparse_arena[kArenaBytes - 1] = 3;
  auto f = tl::function(
      [](const tl::tensor& x) {
        g_sparse_arena[10 * 4096 + 5] = 7;
        g_sparse_arena[kArenaBytes / 4] = 9;  // a page nobody touched before the trace
        return x;
      },
      {.name = "sparse_arena"});
  f(tl::ones({1}));
  f(tl::ones({1}));
  for (const auto& o : tl::observations())
    if (o.rule == "trace-host-mutation")
      std::printf("mutation %s at %s (%s bytes)\n", o.entity.c_str(), o.location.c_str(),
                  o.details.count("bytes_changed") ? o.details.at("bytes_changed").c_str() : "?");
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak_rss_kib %ld\n", usage.ru_maxrss);
  return 0;
}
