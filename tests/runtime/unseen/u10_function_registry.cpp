// Imitates a plugin/registry of traced transforms (a std::map of tl::function objects, like a dict of tf.functions keyed by name) used by a training-analysis loop.
// Hazards: trace-host-read (a registry entry branches on a tensor on the host), trace-function-in-loop (probe made every epoch), trace-shape-retrace (growing prefix).
// Must stay silent: the registry built once and called every epoch with fixed shapes, a function with an input_signature fed the growing prefix, the loop calling registry entries by name.
#include <tl/tl.h>

#include <functional>
#include <iostream>
#include <map>
#include <string>

using UnaryFn = tl::function<std::function<tl::tensor(const tl::tensor&)>>;

int main() {
  auto data = tl::stateless_normal({6, 4}, 101);
  tl::variable w(tl::stateless_normal({4, 4}, 102, 0.f, 0.5f), "w");

  std::map<std::string, UnaryFn> registry;
  registry.emplace("relu", UnaryFn([](const tl::tensor& t) { return tl::relu(t); }, {.name = "relu"}));
  registry.emplace("tanh", UnaryFn([](const tl::tensor& t) { return tl::tanh(t); }, {.name = "tanh"}));
  registry.emplace("clip_large", UnaryFn([](const tl::tensor& t) {
    if (tl::greater(tl::max(t), tl::constant(5.0))) return t * 0.1;  // ERROR[trace-host-read]: host if on a symbolic tensor
    return t;
  }, {.name = "clip_large"}));

  auto prefix_energy = tl::function([&](const tl::tensor& rows) { return tl::mean(tl::square(tl::matmul(rows, w))); },
                                    {.name = "prefix_energy"});
  auto prefix_energy_sig = tl::function([&](const tl::tensor& rows) { return tl::mean(tl::square(tl::matmul(rows, w))); },
                                        {.name = "prefix_energy_sig",
                                         .input_signature = std::vector<tl::tensor_spec>{{{-1, 4}, tl::dtype::float32}}});

  for (int epoch = 0; epoch < 4; ++epoch) {
    auto hidden = tl::matmul(data, w);
    for (auto& [name, fn] : registry) {
      try {
        std::cout << "epoch " << epoch << " " << name << " mean " << tl::mean(fn(hidden)).item<float>() << "\n";
      } catch (const tl::error&) {
        std::cout << "epoch " << epoch << " " << name << " failed to trace\n";
      }
    }
    auto probe = tl::function([&](const tl::tensor& h) { return tl::mean(tl::abs(h)); });  // WARN[trace-function-in-loop]: new cache every epoch
    std::cout << "  probe " << probe(hidden).item<float>() << "\n";

    const std::int64_t rows = 2 + epoch;
    auto prefix = tl::slice(data, {0, 0}, {rows, -1});
    const float e1 = prefix_energy(prefix).item<float>();  // WARN[trace-shape-retrace]: prefix grows by a row per epoch
    const float e2 = prefix_energy_sig(prefix).item<float>();
    std::cout << "  prefix rows " << rows << " energy " << e1 << " / " << e2 << "\n";
  }
  std::cout << "prefix_energy traces " << prefix_energy.tracing_count() << ", with signature "
            << prefix_energy_sig.tracing_count() << "\n";
  return 0;
}
