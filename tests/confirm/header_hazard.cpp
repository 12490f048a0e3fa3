// Two processes of this program (argument "a" or "b") each trace a different function; their two
// reports are joined with one static report whose finding sits in counters.h.
#include <tl/tl.h>

#include <cstring>

#include "counters.h"

int main(int argc, char** argv) {
  auto first = tl::function([](const tl::tensor& x) {
    count_call();
    return x;
  }, {.name = "first"});
  auto second = tl::function([](const tl::tensor& x) {
    count_call();
    return x * 2.0;
  }, {.name = "second"});
  bool a = argc > 1 && std::strcmp(argv[1], "a") == 0;
  for (int i = 0; i < 3; ++i) a ? first(tl::ones({2})) : second(tl::ones({2}));
}
