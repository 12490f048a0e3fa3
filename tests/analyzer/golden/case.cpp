// Golden-output case: one finding with a note path, on a line with non-ASCII text before it.
#include <tl/tl.h>

int steps = 0;

void count_step() { /* é */ steps += 1; }

int main() {
  auto train_step = tl::function([](const tl::tensor& x) {
    count_step();
    return x;
  });
  train_step(tl::ones({2}));
}
