#pragma once
// A helper in a header that bumps a global: the finding is in this header, the traced function in
// the main file.
inline int g_header_calls = 0;
inline void count_call() { ++g_header_calls; }
