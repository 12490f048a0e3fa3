#pragma once
// Helpers a traced function of another file calls (model/hazards_in_headers.cpp).
#include <cstdio>
#include <tl/tl.h>

inline int g_grows = 0;

struct Arena {
  int size = 0;
  void enlarge(int n) {
    size += n;
    ++g_grows;
  }
};
inline Arena g_arena;

inline void log_step(const char* what) { std::printf("%s\n", what); }

inline tl::tensor scaled(const tl::tensor& x) {
  log_step("scaled");
  return x * 2.0;
}

// A traced function made in the header: its hazard is the header's, shown only when the header
// filter takes the header (clang-tidy's rule).
inline auto make_header_step() {
  return tl::function([](const tl::tensor& x) {
    ++g_grows;
    return x;
  });
}
