// a17_io_streams: printf-style debugging and a trace file written from inside a traced step.
// Hazards (trace-host-io x5): printf; a chained std::cerr insertion (one finding for the line); an
//   ofstream opened; fputs in a helper reached from the trace; a tensor inserted into std::cout.
// Must stay silent: ostringstream formatting that never reaches output; snprintf into a local buffer;
//   std::to_string; tl::print; host I/O outside the trace, before and after calls; an eager call of the
//   logging helper.
#include <tl/tl.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

void log_step(const char* tag) {
  fputs(tag, stderr);                                                               // WARN[trace-host-io]: reached from the traced step
}

int main() {
  auto x = tl::ones({2, 2});
  auto step = tl::function([](const tl::tensor& t) {
    std::printf("tracing step\n");                                                  // WARN[trace-host-io]: prints once per trace
    std::cerr << "shape " << tl::shape_string(t.shape()) << '\n';                  // WARN[trace-host-io]: chained insertion, one finding for the line
    std::ofstream trace_file("/tmp/a17_trace.txt");                                 // WARN[trace-host-io]: file opened once per trace
    std::ostringstream buf;
    buf << "rank " << t.rank();                                                     // ok: string stream, never written out
    char label[32];
    std::snprintf(label, sizeof label, "r%lld", static_cast<long long>(t.rank()));  // ok: formats into a local buffer
    const std::string tag = std::to_string(t.rank()) + label;                       // ok: string building
    log_step("step\n");
    auto y = tl::tanh(t);
    std::cout << y;                                                                 // WARN[trace-host-io]: symbolic tensor printed at trace time only
    return tl::print(y, buf.str() + tag);                                           // ok: graph print, every call
  }, {.name = "step"});

  std::cout << "before\n";                                                          // ok: outside the trace
  for (int i = 0; i < 3; ++i) {
    auto y = step(x);
    std::cout << "out " << y << "\n";                                               // ok: concrete output, outside the trace
  }
  log_step("done\n");                                                               // ok: eager call (the finding is on the helper's line)
  return 0;
}
