#pragma once
// Helpers used only by a13_header_helpers.cpp. Findings reached from its traced lambda are reported on
// the helper's line (the rule pages: helpers are followed, the call path becomes notes), so they are
// annotated here.
#include <tl/tl.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace a13 {

inline int g_built_layers = 0;
inline std::vector<double> g_scales;

inline tl::tensor dense(const tl::tensor& x, const tl::variable& w) {
  return tl::matmul(x, w);                                                          // ok: pure tl ops
}

inline std::string describe(const tl::tensor& x) {
  std::ostringstream os;
  os << "rank=" << x.rank() << " dims=" << x.shape().size();                         // ok: string stream never reaches output
  return os.str();
}

inline void trace_log(const std::string& what) {
  std::printf("[trace] %s\n", what.c_str());                                        // WARN[trace-host-io]: prints once per trace (reached from forward)
}

inline void note_layer(double scale) {
  ++g_built_layers;                                                                 // WARN[trace-host-mutation]: global counts traces (reached from forward)
  g_scales.push_back(scale);                                                        // WARN[trace-host-mutation]: global vector grows once per trace (reached from forward)
}

inline double wall_seconds() {
  const auto now = std::chrono::system_clock::now();                                // WARN[trace-host-random]: clock read frozen at trace time (reached from forward)
  return std::chrono::duration<double>(now.time_since_epoch()).count();
}

inline double lookup(const std::vector<double>& table, std::size_t i) {
  return table.at(i);                                                               // ok: container accessor, a read
}

inline tl::tensor scaled(const tl::tensor& x, double s) { return x * s; }           // ok: pure op with a host constant

inline void print_summary() {
  std::printf("layers=%d scales=%zu\n", g_built_layers, g_scales.size());           // ok: only called eagerly from main
}

}  // namespace a13
