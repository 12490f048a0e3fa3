// Annotated cases for trace-function-in-loop.
#include <tl/tl.h>

void positives() {
  for (int i = 0; i < 10; ++i) {
    auto step = tl::function([](const tl::tensor& x) { return x * 2.0; });  // WARN[trace-function-in-loop]: 'step' is created inside a loop and called there
    step(tl::ones({2}));
  }
  int n = 0;
  while (n++ < 3) {
    auto named = tl::function([](const tl::tensor& x) { return x; }, {.name = "named"});  // WARN[trace-function-in-loop]: 'named' is created inside a loop
    named(tl::ones({1}));
    named(tl::ones({1}));
  }
}

void negatives() {
  auto step = tl::function([](const tl::tensor& x) { return x * 2.0; });
  for (int i = 0; i < 10; ++i) step(tl::ones({2}));  // created once, before the loop
  for (int i = 0; i < 3; ++i) {
    auto unused = tl::function([](const tl::tensor& x) { return x; });  // created but never called in the loop
    (void)unused;
  }
}
