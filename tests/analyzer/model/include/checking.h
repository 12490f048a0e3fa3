#pragma once
// A checking helper as CUDA's samples write one (model/error_branches.cpp).
#include <cstdio>
#include <cstdlib>

inline int g_checked = 0;

inline void check(int status, const char* what) {
  if (status != 0) {
    std::fprintf(stderr, "%s failed: %d\n", what, status);
    ++g_checked;
    std::exit(EXIT_FAILURE);
  }
}

inline void check_soft(int status, const char* what) {
  if (status != 0) std::fprintf(stderr, "%s failed: %d\n", what, status);
}
