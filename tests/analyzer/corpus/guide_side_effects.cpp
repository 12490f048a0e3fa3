// Ported from the tf.function guide, "Executing Python side effects": host code (printing,
// appending to a host list, bumping a host counter) runs only while the function is traced; graph
// effects (tl::print, variable assignments) run on every call.
#include <tl/tl.h>

#include <cstdio>
#include <iostream>
#include <vector>

std::vector<int> external_list;
int trace_count = 0;

int main() {
  auto f = tl::function([](const tl::tensor& x) {
    std::printf("Traced with a new signature\n");  // WARN[trace-host-io]: printf
    tl::print(x, "Executed with");
    return x;
  }, {.name = "f"});
  f(tl::constant(1.0));
  f(tl::constant(1.0));
  f(tl::constant(2.0));

  auto side_effect = tl::function([](const tl::tensor& x) {
    std::cout << "Python side effect\n";  // WARN[trace-host-io]: operator<<
    external_list.push_back(1);  // WARN[trace-host-mutation]: external_list
    ++trace_count;  // WARN[trace-host-mutation]: trace_count
    return x;
  }, {.name = "side_effect"});
  for (int i = 0; i < 3; ++i) side_effect(tl::constant(1.0));

  // The same count kept in a variable: the graph updates it on every call.
  tl::variable calls(tl::constant(0.0));
  auto counted = tl::function([&](const tl::tensor& x) {
    calls.assign_add(tl::constant(1.0));
    return x * 2.0;
  }, {.name = "counted"});
  for (int i = 0; i < 3; ++i) counted(tl::constant(1.0));

  // Host side effects outside any traced function happen every time, as written.
  for (int i = 0; i < 3; ++i) {
    external_list.push_back(i);
    std::printf("%d\n", i);
  }
  return calls.value().item<float>() == 3.f ? 0 : 1;
}
