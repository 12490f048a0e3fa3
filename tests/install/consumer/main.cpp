#include <tl/tl.h>

#include <iostream>

int main() {
  tl::variable total(tl::constant(0.0));
  auto step = tl::function([&](const tl::tensor& x) { total.assign_add(tl::sum(x)); });
  for (int i = 0; i < 3; ++i) step(tl::ones({4}));
  std::cout << "traced 3 calls, " << step.tracing_count() << " trace, sum " << total.value().item<float>() << "\n";
}
