// a04_function_registry: a model with several heads kept in registries of traced functions (a std::map
// by name, a std::vector of stages, a per-task cache filled lazily), plus throwaway traced calls in loops.
// Hazards:
//   trace-function-in-loop x2: a temporary tl::function(score)(x) in a loop; a named function object
//     created and called in every iteration.
//   trace-host-mutation x1: a registry head (a lambda held in std::function) bumps a captured counter.
// Must stay silent: heads created once before the loops and called in a loop; stages created in a loop
//   but not called there; a per-key lazy cache (one function per task, created once per key); a function
//   created once and called in a loop; lookups with at().
#include <tl/tl.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

using unary = std::function<tl::tensor(const tl::tensor&)>;
using traced = tl::function<unary>;

int main() {
  auto x = tl::fill({2, 3}, 0.5);
  int head_traces = 0;
  std::map<std::string, traced> heads;
  heads.emplace("relu", traced(unary([](const tl::tensor& t) { return tl::relu(t); })));     // ok: created once, before the loops
  heads.emplace("soft", traced(unary([](const tl::tensor& t) { return tl::softmax(t); })));  // ok: created once, before the loops
  heads.emplace("count", traced(unary([&head_traces](const tl::tensor& t) {
    ++head_traces;                                                                          // WARN[trace-host-mutation]: captured counter counts traces of the 'count' head
    return tl::tanh(t);
  })));
  for (int epoch = 0; epoch < 3; ++epoch) {
    for (const auto& [name, head] : heads) head(x);                                         // ok: registry functions created once, called in a loop
  }

  std::vector<traced> stages;
  for (double s : {0.5, 1.0, 2.0}) stages.emplace_back(unary([s](const tl::tensor& t) { return t * s; }));  // ok: created in a loop, not called there
  for (int rep = 0; rep < 3; ++rep) {
    auto y = x;
    for (const auto& stage : stages) y = stage(y);                                          // ok: created once, called in a loop
  }

  std::map<std::string, traced> per_task;
  const std::vector<std::string> tasks = {"a", "b", "a", "c", "b", "a"};
  for (const auto& task : tasks) {
    if (!per_task.contains(task)) per_task.emplace(task, traced(unary([](const tl::tensor& t) { return tl::sigmoid(t); })));  // ok: per-key cache, one function per key
    per_task.at(task)(x);                                                                   // ok: call of the cached per-key function
  }

  auto score = [](const tl::tensor& t) { return tl::mean(tl::square(t)); };
  for (int i = 0; i < 4; ++i) {
    auto s = tl::function(score)(x);                                                        // WARN[trace-function-in-loop]: temporary function object, traced every iteration
    (void)s;
  }
  for (int i = 0; i < 4; ++i) {
    auto fresh = tl::function(score, {.name = "fresh"});                                    // WARN[trace-function-in-loop]: new object with an empty cache every iteration
    fresh(x);
  }
  auto once = tl::function(score, {.name = "once"});                                        // ok: created once, before the loop
  for (int i = 0; i < 4; ++i) once(x);                                                      // ok: reused in the loop
  return head_traces > 100 ? 1 : 0;
}
