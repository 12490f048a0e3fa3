// a15_stale_by_ref_param: an evaluator traced with a model object passed by reference, a temperature read
// through a captured pointer, and class weights kept in a captured std::vector.
// Hazards (trace-stale-capture x4): model.bias changed after evaluate baked it (object passed by
//   reference); a.temperature changed while the captured pointer holds &a; the captured pointer re-pointed
//   to another config; an element of the captured weight vector overwritten after weighted traced it.
// Must stay silent: a write before the first call; container reads with at(); a member of an object no
//   trace reads; a write on a path that returns; a different object, written before it is first passed,
//   for the same parameter (a new cache key).
// Known limit (marked limit[...]): nudge(model) changes model.scale through a reference parameter of a
//   host helper (a different function than the calls).
#include <tl/tl.h>

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <vector>

struct Model {
  double bias = 0.0;
  double scale = 1.0;
};
struct Config {
  double temperature = 1.0;
};

void nudge(Model& m) { m.scale += 0.1; }

int main() {
  Model model;
  Model shadow;
  Config a;
  Config b;
  Config unused;
  const Config* active = &a;
  std::vector<float> weights = {1.f, 2.f, 3.f};
  a.temperature = 2.0;                                                              // ok: before the first call
  auto evaluate = tl::function([](const tl::tensor& x, const Model& m) { return x * m.scale + m.bias; }, {.name = "evaluate"});
  auto soft = tl::function([&active](const tl::tensor& z) { return tl::softmax(z / active->temperature); }, {.name = "soft"});
  auto weighted = tl::function([&weights](const tl::tensor& x) {
    tl::tensor acc = tl::zeros({1});
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(weights.size()); ++i) {
      acc = acc + tl::slice(x, {i}, {1}) * static_cast<double>(weights[static_cast<std::size_t>(i)]);
    }
    return acc;
  }, {.name = "weighted"});

  auto x = tl::fill({3}, 1.0);
  auto z = tl::fill({3}, 0.5);
  for (int i = 0; i < 4; ++i) {
    evaluate(x, model);
    soft(z);
    weighted(x);
    const float first = weights.at(0);                                              // ok: container read
    model.bias += 0.5;                                                              // WARN[trace-stale-capture]: evaluate baked model's members (passed by reference)
    a.temperature *= 0.9;                                                           // WARN[trace-stale-capture]: soft reads it through 'active', given &a in this function
    weights[0] = first * 0.5f;                                                      // WARN[trace-stale-capture]: element of the captured vector that weighted iterates
    unused.temperature = 3.0;                                                       // ok: no trace reads 'unused'
    nudge(model);                                                                   // limit[trace-stale-capture]: write through a host helper's reference parameter
    if (i == 2) active = &b;                                                        // WARN[trace-stale-capture]: captured pointer re-pointed; soft keeps the one it saw
    if (first < 0.f) {
      model.scale = 0.0;                                                            // ok: this path returns, no later call
      return 1;
    }
  }
  shadow.scale = 3.0;                                                               // ok: shadow has not been passed yet (new object, new cache key)
  std::cout << evaluate(x, shadow) << "\n";
  return 0;
}
