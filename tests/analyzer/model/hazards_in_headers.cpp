// Issue 28.1: a hazard reached in a header from a traced function of this file is reported here, at
// the call that leads there, with the header line as a note; the default --header-filter must not
// hide it. A traced function that is itself in the header keeps its finding in the header.
#include "include/step_helpers.h"

int main() {
  auto step = tl::function([](const tl::tensor& x) {
    g_arena.enlarge(4);  // WARN[trace-host-mutation]: member 'size' // WARN[trace-host-mutation]: 'g_grows'
    return scaled(x);  // WARN[trace-host-io]: printf
  });
  step(tl::ones({2}));
  auto header_step = make_header_step();
  header_step(tl::ones({2}));
}
