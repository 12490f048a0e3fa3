// Two calls away from the traced function (train.cpp -> counters.cpp -> here), and a traced
// function of its own.
#include <tl/tl.h>

#include <string>

static std::string last_line;
int scale_calls = 0;
void log_line(const std::string& s) { last_line = s; }
int scaled(int x) {
  ++scale_calls;
  return x * 2;
}

void local_trace() {
  auto f = tl::function(
      [](const tl::tensor& x) {
        ++scale_calls;  // a finding of this file alone
        return x;
      },
      {.name = "local_step"});
  f(tl::ones({1}));
}
