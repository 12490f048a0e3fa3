// Annotated cases for trace-variable-creation.
#include <tl/tl.h>

#include <optional>

struct Dense {
  tl::variable w{tl::ones({2})};  // created whenever a Dense is constructed
  tl::tensor operator()(const tl::tensor& x) const { return x * w; }
};

tl::tensor make_and_use(const tl::tensor& x) {
  tl::variable scale(tl::constant(2.0));  // WARN[trace-variable-creation]: a tl::variable is created while tracing 'calls_helper'
  return x * scale;
}

void positives() {
  auto f1 = tl::function([](const tl::tensor& x) {
    tl::variable v(tl::zeros({2}));  // WARN[trace-variable-creation]: a tl::variable is created while tracing 'f1'
    return x + v.value();
  });
  auto f2 = tl::function([](const tl::tensor& y, const tl::tensor& p) {
    tl::metrics::accuracy acc;  // WARN[trace-variable-creation]: a tl::metrics::accuracy is created while tracing 'f2'
    acc.update_state(y, p);
    return acc.result();
  });
  auto f3 = tl::function([](const tl::tensor& x) {
    tl::optimizers::adam opt(0.1);  // WARN[trace-variable-creation]: a tl::optimizers::adam is created
    (void)opt;
    return x;
  });
  auto calls_helper = tl::function([](const tl::tensor& x) { return make_and_use(x); });
  auto f4 = tl::function([](const tl::tensor& x) {
    return x + tl::variable(tl::ones({2})).value();  // WARN[trace-variable-creation]: a tl::variable is created while tracing 'f4'
  });
  (void)f1; (void)f2; (void)f3; (void)calls_helper; (void)f4;
}

void negatives() {
  tl::variable outside(tl::zeros({2}));
  tl::variable lazily;
  std::optional<tl::metrics::mean> metric;
  auto g1 = tl::function([&](const tl::tensor& x) {
    if (!lazily.defined()) lazily = tl::variable(tl::zeros({2}));  // the create-once guard
    if (!metric) metric.emplace();
    static tl::variable once_per_process(tl::zeros({2}));  // initialized once
    tl::variable copy = outside;  // a handle copy: no new variable
    return x + copy.value() + lazily.value() + once_per_process.value();
  });
  (void)g1;
}
