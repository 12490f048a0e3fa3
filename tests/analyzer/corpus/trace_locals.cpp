// Beyond the guide: a trace's own locals, including those a nested lambda writes through its
// by-reference captures, live and die within one trace; writing them is not host state. The same
// nested lambda writing a variable of the host code is.
#include <tl/tl.h>

#include <vector>

int main() {
  auto unrolled = tl::function([](const tl::tensor& x) {
    tl::tensor acc = x;
    int applied = 0;
    auto apply = [&](double factor) {
      acc = acc * factor;
      ++applied;
    };
    for (double f : {0.5, 2.0, 3.0}) apply(f);
    return acc + static_cast<double>(applied);
  }, {.name = "unrolled"});
  unrolled(tl::ones({2}));

  auto collect = tl::function([](const tl::tensor& x) {
    std::vector<tl::tensor> parts;
    auto add = [&parts](const tl::tensor& t) { parts.push_back(t); };
    add(x);
    add(x * 2.0);
    return tl::concat(parts, 0);
  }, {.name = "collect"});
  collect(tl::ones({2}));

  int host_calls = 0;
  auto bump = [&host_calls]() { ++host_calls; };  // WARN[trace-host-mutation]: host_calls
  auto uses_host_lambda = tl::function([&](const tl::tensor& x) {
    bump();
    return x;
  }, {.name = "uses_host_lambda"});
  uses_host_lambda(tl::ones({2}));

  std::vector<tl::tensor> kept;
  auto leaks_through_lambda = tl::function([&](const tl::tensor& x) {
    auto keep = [&](const tl::tensor& t) { kept.push_back(t); };  // ERROR[trace-tensor-leak]: kept // WARN[trace-host-mutation]: kept
    keep(x);
    return x;
  }, {.name = "leaks_through_lambda"});
  leaks_through_lambda(tl::ones({2}));
  return 0;
}
