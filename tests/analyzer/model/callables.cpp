// Issue 28.3: code that runs while tracing through a callable: a std::function parameter, a
// template parameter F&&, a function pointer (a parameter or a global), a virtual call resolved
// over the class hierarchy this file sees. Each hazard is reported where it is written.
#include <tl/tl.h>

#include <functional>

int g_by_function = 0, g_by_template = 0, g_by_pointer = 0, g_by_global = 0, g_virtual = 0, g_untraced = 0;

tl::tensor apply(const std::function<tl::tensor(const tl::tensor&)>& fn, const tl::tensor& x) { return fn(x); }
template <class F>
tl::tensor apply_t(F&& fn, const tl::tensor& x) {
  return fn(x);
}
tl::tensor run_ptr(tl::tensor (*k)(const tl::tensor&), const tl::tensor& x) { return k(x); }
tl::tensor pointer_kernel(const tl::tensor& x) {
  ++g_by_pointer;  // WARN[trace-host-mutation]: 'g_by_pointer'
  return x;
}
tl::tensor global_kernel(const tl::tensor& x) {
  ++g_by_global;  // WARN[trace-host-mutation]: 'g_by_global'
  return x;
}
tl::tensor (*g_kernel)(const tl::tensor&) = &global_kernel;

struct Layer {
  virtual ~Layer() = default;
  virtual tl::tensor forward(const tl::tensor& x) = 0;
};
struct Counting : Layer {
  tl::tensor forward(const tl::tensor& x) override {
    ++g_virtual;  // WARN[trace-host-mutation]: 'g_virtual'
    return x;
  }
};

int main() {
  Counting counting;
  Layer& layer = counting;
  auto step = tl::function([&](const tl::tensor& x) {
    auto a = apply([](const tl::tensor& t) {
      ++g_by_function;  // WARN[trace-host-mutation]: 'g_by_function'
      return t;
    }, x);
    auto b = apply_t([](const tl::tensor& t) {
      ++g_by_template;  // WARN[trace-host-mutation]: 'g_by_template'
      return t;
    }, a);
    auto c = run_ptr(&pointer_kernel, b);
    return layer.forward(g_kernel(c));
  });
  step(tl::ones({2}));
  // The same helpers called from host code only: nothing runs while tracing.
  apply([](const tl::tensor& t) {
    ++g_untraced;
    return t;
  }, tl::ones({2}));
}
