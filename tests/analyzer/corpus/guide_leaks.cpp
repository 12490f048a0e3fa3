// Ported from the tf.function guide, "All outputs of a tf.function must be return values": tensors
// stored into host state while tracing are symbolic and unusable once the trace ends.
#include <tl/tl.h>

#include <utility>
#include <vector>

tl::tensor x_global;
struct MyClass {
  tl::tensor field;
};
std::vector<tl::tensor> external_list;
MyClass external_object;

int main() {
  auto leaky_function = tl::function([](const tl::tensor& a) {
    x_global = a + 1.0;  // ERROR[trace-tensor-leak]: x_global // WARN[trace-host-mutation]: x_global
    return a + 2.0;
  }, {.name = "leaky_function"});
  auto correct_a = leaky_function(tl::constant(1.0));

  auto leaky_list = tl::function([](const tl::tensor& a) {
    auto b = a * 3.0;
    external_list.push_back(b);  // ERROR[trace-tensor-leak]: external_list // WARN[trace-host-mutation]: external_list
    external_object.field = b;  // ERROR[trace-tensor-leak]: external_object // WARN[trace-host-mutation]: external_object
    return b;
  }, {.name = "leaky_list"});
  leaky_list(tl::constant(1.0));

  // Correct: return everything the caller needs, then store the concrete results.
  auto returns_both = tl::function([](const tl::tensor& a) {
    auto b = a * 3.0;
    return std::pair<tl::tensor, tl::tensor>{b, a + 1.0};
  }, {.name = "returns_both"});
  auto [b, c] = returns_both(tl::constant(1.0));
  external_list.push_back(b);
  external_object.field = c;

  // Correct: keep it in a variable, assigned by the graph.
  tl::variable last(tl::zeros({2}));
  auto keeps = tl::function([&](const tl::tensor& a) {
    std::vector<tl::tensor> parts;  // a container local to the trace
    parts.push_back(a);
    parts.push_back(a * 2.0);
    last.assign(tl::concat(parts, 0));
    return a;
  }, {.name = "keeps"});
  keeps(tl::ones({1}));
  return correct_a.defined() ? 0 : 1;
}
