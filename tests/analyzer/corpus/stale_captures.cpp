// Beyond the guide: host values reached while tracing other than plain numbers: a captured
// container the trace iterates (its elements are baked), a captured pointer the trace dereferences
// (it selects one object at trace time). Changed between calls, the graph keeps what it saw.
// Changes that cannot reach a later call (a branch that returns, a write after the last call, a
// write before the first call) are harmless.
#include <tl/tl.h>

#include <vector>

struct Config {
  double scale = 1.0;
};

void push_one(std::vector<int>& into) { into.push_back(1); }  // WARN[trace-host-mutation]: calls
void bump(int& n) { ++n; }  // WARN[trace-host-mutation]: counter

int run_coefficients(bool stop_early) {
  std::vector<float> coefficients = {1.f, 2.f, 3.f};
  auto poly = tl::function([&](const tl::tensor& x) {
    tl::tensor acc = x * 0.0;
    for (float c : coefficients) acc = acc * x + static_cast<double>(c);
    return acc;
  }, {.name = "poly"});
  coefficients.push_back(4.f);  // before the first call: the trace sees it
  poly(tl::ones({2}));
  if (stop_early) {
    coefficients[0] = 10.f;  // returns before any later call
    return 1;
  }
  coefficients[0] = 5.f;  // WARN[trace-stale-capture]: coefficients
  poly(tl::ones({2}));
  for (int i = 0; i < 3; ++i) {
    poly(tl::ones({2}));
    coefficients.push_back(1.f);  // WARN[trace-stale-capture]: coefficients
  }
  coefficients.clear();  // after the last call
  return 0;
}

int run_pointer() {
  Config a, b;
  b.scale = 2.0;
  const Config* active = &a;
  auto scaled = tl::function([&](const tl::tensor& x) { return x * active->scale; }, {.name = "scaled"});
  scaled(tl::ones({2}));
  active = &b;  // WARN[trace-stale-capture]: active
  scaled(tl::ones({2}));
  for (int i = 0; i < 2; ++i) {
    scaled(tl::ones({2}));
    if (i == 1) break;
    a.scale = 3.0;  // WARN[trace-stale-capture]: a
  }
  return 0;
}

int run_helpers() {
  std::vector<int> calls;
  int counter = 0;
  auto step = tl::function([&](const tl::tensor& x) {
    push_one(calls);
    bump(counter);
    std::vector<int> scratch;
    push_one(scratch);  // a local of the trace
    return x;
  }, {.name = "step"});
  step(tl::ones({1}));
  return counter;
}

int main(int argc, char**) {
  run_coefficients(argc > 1);
  run_pointer();
  return run_helpers();
}
