// The traced function calls helpers defined in util.cpp.
#include <tl/tl.h>

void bump_calls();
int pure(int);
void unknown_elsewhere();  // defined in no analyzed file: unknown, not reported

int main() {
  auto step = tl::function([](const tl::tensor& x) {
    bump_calls();
    unknown_elsewhere();
    return x * static_cast<double>(pure(2));
  }, {.name = "train_step"});
  step(tl::ones({1}));
}
