// Ported from the tf.function guide, "Creating tf.Variables", and the tf.function API docs
// ("variables may only be created on the first call"): a variable created on every trace fails on
// the second trace; creating it once behind a guard that the creation itself turns off is the
// documented pattern, and neither the guarded creation nor the write to the guard is a hazard.
#include <tl/tl.h>

#include <memory>
#include <optional>

struct Count {
  std::optional<tl::variable> count;
  tl::tensor operator()(const tl::tensor& x) {
    if (!count) count.emplace(tl::constant(0.0));
    count->assign_add(x);
    return count->value();
  }
};

struct MyModule {
  tl::variable v;
  tl::tensor operator()(const tl::tensor& x) {
    if (!v.defined()) v = tl::variable(x * 0.0 + 1.0);
    return v.value() * x;
  }
};

struct Dense {
  tl::variable w{tl::ones({2})};
  tl::tensor operator()(const tl::tensor& x) const { return x * w.value(); }
};

struct Lazy {
  std::unique_ptr<Dense> layer;
  tl::tensor operator()(const tl::tensor& x) {
    if (!layer) layer = std::make_unique<Dense>();
    return (*layer)(x);
  }
};

int main() {
  auto f = tl::function([](const tl::tensor& x) {
    tl::variable v(tl::constant(1.0));  // WARN[trace-variable-creation]: tl::variable
    return x + v.value();
  }, {.name = "f"});
  f(tl::constant(1.0));

  Count counter;
  auto count_step = tl::function([&](const tl::tensor& x) { return counter(x); }, {.name = "count_step"});
  count_step(tl::constant(1.0));
  count_step(tl::constant(1.0));

  MyModule module;
  auto module_step = tl::function([&](const tl::tensor& x) { return module(x); }, {.name = "module_step"});
  module_step(tl::ones({2}));

  Lazy lazy;
  auto lazy_step = tl::function([&](const tl::tensor& x) { return lazy(x); }, {.name = "lazy_step"});
  lazy_step(tl::ones({2}));

  // Created outside, captured: the recommended form.
  tl::variable outside(tl::constant(1.0));
  auto uses_outside = tl::function([&](const tl::tensor& x) { return x * outside.value(); }, {.name = "uses_outside"});
  uses_outside(tl::constant(2.0));

  // A metric created per trace creates its variables per trace.
  auto per_trace_metric = tl::function([](const tl::tensor& x) {
    tl::metrics::mean m;  // WARN[trace-variable-creation]: tl::metrics::mean
    m.update_state(x);
    return m.result();
  }, {.name = "per_trace_metric"});
  per_trace_metric(tl::ones({2}));
  return 0;
}
