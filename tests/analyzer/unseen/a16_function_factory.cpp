// a16_function_factory: traced functions built through a small factory and from lambdas kept in variables,
// then called in loops, including throwaway temporaries.
// Hazards:
//   trace-function-in-loop x2: a temporary tl::function(square)(x) in a for loop; a function created and
//     called in every iteration of a while loop.
//   trace-stale-capture x1: a by-value capture changed after the call (the by-copy variant).
// Must stay silent: a bank of functions made by the factory in a loop and called in a later loop; a
//   function created once and reused; functions created in a loop and only stored; a call of a stored
//   function outside the creating loop.
// Known limit (marked limit[...]): make_scaler(0.5)(x) in a loop creates a function object per iteration
//   inside a helper the loop calls (documented as not recognized statically).
#include <tl/tl.h>

#include <iostream>
#include <vector>

auto make_scaler(double s) {
  return tl::function([s](const tl::tensor& x) { return x * s; }, {.name = "scaler"});
}

int main() {
  auto x = tl::ones({4});
  std::vector<decltype(make_scaler(1.0))> bank;
  for (double s : {0.5, 1.0, 2.0}) bank.push_back(make_scaler(s));                  // ok: created in a loop (in a helper), not called there
  for (int rep = 0; rep < 3; ++rep) {
    for (const auto& f : bank) f(x);                                                // ok: created once, called in a loop
  }
  for (int rep = 0; rep < 3; ++rep) make_scaler(0.5)(x);                            // limit[trace-function-in-loop]: created inside a helper the loop calls

  auto square = [](const tl::tensor& t) { return tl::square(t); };
  for (int rep = 0; rep < 3; ++rep) {
    auto y = tl::function(square)(x);                                               // WARN[trace-function-in-loop]: temporary object, a new cache every iteration
    std::cout << y << "\n";
  }
  auto sq = tl::function(square, {.name = "sq"});                                   // ok: created once, before the loop
  for (int rep = 0; rep < 3; ++rep) sq(x);                                          // ok: reused

  std::vector<decltype(tl::function(square))> stored;
  for (int rep = 0; rep < 2; ++rep) stored.push_back(tl::function(square));         // ok: created in a loop, only stored
  stored.front()(x);                                                                // ok: called outside the creating loop

  int k = 0;
  while (k < 3) {
    auto plus = tl::function([](const tl::tensor& t) { return t + 1.0; }, {.name = "plus"});  // WARN[trace-function-in-loop]: created and called in every iteration
    plus(x);
    ++k;
  }

  double factor = 2.0;
  auto by_copy = tl::function([factor](const tl::tensor& t) { return t * factor; }, {.name = "by_copy"});
  for (int rep = 0; rep < 3; ++rep) {
    by_copy(x);
    factor += 1.0;                                                                  // WARN[trace-stale-capture]: by_copy captured factor by value; its graph keeps the copy
  }
  return 0;
}
