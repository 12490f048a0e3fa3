// Ported from the tf.function guide's "Creating tf.Variables" with Keras-style layers: a layer
// built lazily on the first call (its weights made in its constructor) behind a guard is the
// documented pattern; a layer constructed on every call creates its variables on every trace.
#include <tl/tl.h>

#include <memory>
#include <optional>

struct Dense {
  tl::variable w{tl::ones({2})};  // WARN[trace-variable-creation]: tl::variable
  tl::tensor operator()(const tl::tensor& x) const { return x * w.value(); }
};

struct LazyModel {
  std::optional<Dense> dense;
  tl::tensor operator()(const tl::tensor& x) {
    if (!dense) dense = Dense();
    return (*dense)(x);
  }
};

Dense make_dense() { return Dense(); }

int main() {
  LazyModel lazy;
  auto lazy_step = tl::function([&](const tl::tensor& x) { return lazy(x); }, {.name = "lazy_step"});
  lazy_step(tl::ones({2}));
  lazy_step(tl::ones({2}));

  std::unique_ptr<Dense> built;
  auto built_step = tl::function([&](const tl::tensor& x) {
    if (built == nullptr) built = std::make_unique<Dense>(make_dense());
    return (*built)(x);
  }, {.name = "built_step"});
  built_step(tl::ones({2}));

  auto every_trace = tl::function([](const tl::tensor& x) {
    Dense d;  // its constructor creates the variable (reported there)
    return d(x);
  }, {.name = "every_trace"});
  every_trace(tl::ones({2}));

  Dense outside;  // constructed outside any trace
  auto uses_outside = tl::function([&](const tl::tensor& x) { return outside(x); }, {.name = "uses_outside"});
  uses_outside(tl::ones({2}));
  return 0;
}
