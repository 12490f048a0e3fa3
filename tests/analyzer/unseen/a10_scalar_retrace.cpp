// a10_scalar_retrace: seed 004's retraces from host scalars: an epoch counter, a decaying learning rate
// and a countdown passed as host numbers to traced functions.
// Hazards (trace-scalar-retrace x4): the loop counter; epoch % 2 (few values, documented as reported);
//   a double the loop changes; a countdown the while loop decrements.
// Must stay silent: a constant passed in the loop; a bool flag; the counter passed as a tensor; a
//   loop-local computed from constants only; a call outside any loop.
#include <tl/tl.h>

#include <iostream>

int main() {
  auto x = tl::ones({3});
  auto scale = tl::function([](const tl::tensor& t, int k) { return t * static_cast<double>(k); }, {.name = "scale"});
  auto decay = tl::function([](const tl::tensor& t, double lr) { return t * lr; }, {.name = "decay"});
  auto mode = tl::function([](const tl::tensor& t, bool training) { return training ? tl::relu(t) : tl::neg(t); }, {.name = "mode"});
  auto by_tensor = tl::function([](const tl::tensor& t, const tl::tensor& k) { return t * k; }, {.name = "by_tensor"});
  const int heads = 4;
  double lr = 0.1;

  for (int epoch = 0; epoch < 10; ++epoch) {
    scale(x, epoch);                                                                // WARN[trace-scalar-retrace]: loop counter as a host int
    scale(x, heads);                                                                // ok: constant in the loop
    scale(x, epoch % 2);                                                            // WARN[trace-scalar-retrace]: two values, still reported (documented)
    decay(x, lr);                                                                   // WARN[trace-scalar-retrace]: lr changes every iteration
    mode(x, epoch % 3 == 0);                                                        // ok: bool flag (two traces, then replays)
    by_tensor(x, tl::constant(epoch));                                              // ok: counter passed as a tensor
    const int width = heads * 2;
    scale(x, width);                                                                // ok: loop-local computed from constants only
    lr *= 0.9;
  }

  int remaining = 5;
  while (remaining > 0) {
    scale(x, remaining);                                                            // WARN[trace-scalar-retrace]: countdown changed by the loop
    --remaining;
  }
  scale(x, 7);                                                                      // ok: call outside any loop
  std::cout << scale.tracing_count() << " " << decay.tracing_count() << "\n";
  return 0;
}
