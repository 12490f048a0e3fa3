// Exits through an uncaught exception after a hazard: TL_REPORT must still be written.
#include <tl/tl.h>

#include <stdexcept>

int g_bumped = 0;

int main() {
  auto f = tl::function(
      [](const tl::tensor& x) {
        ++g_bumped;
        return x;
      },
      {.name = "before_crash"});
  f(tl::ones({1}));
  throw std::runtime_error("the program fails after the hazard");
}
