// Annotated cases for trace-variable-creation.
#include <tl/tl.h>

#include <optional>

struct Dense {
  tl::variable w{tl::ones({2})};  // WARN[trace-variable-creation]: a tl::variable is created while tracing 'dense'
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

#define MAKE_VAR() tl::variable(tl::zeros({1}))

template <class T>
tl::tensor scaled(const tl::tensor& x) {
  tl::variable s(tl::fill({1}, 2.0, tl::dtype_of<T>()));  // WARN[trace-variable-creation]: a tl::variable is created while tracing 'templ'
  return x * s.value();
}

struct Layer {
  tl::tensor apply(const tl::tensor& x) {
    tl::metrics::sum seen;  // WARN[trace-variable-creation]: a tl::metrics::sum is created while tracing 'member'
    seen.update_state(x);
    return x;
  }
};

void more_positives() {
  auto m1 = tl::function([](const tl::tensor& x) { return x + MAKE_VAR().value(); }, {.name = "macro"});  // WARN[trace-variable-creation]: a tl::variable is created while tracing 'macro'
  auto templ = tl::function([](const tl::tensor& x) { return scaled<float>(x); }, {.name = "templ"});
  Layer layer;
  auto member = tl::function([&](const tl::tensor& x) { return layer.apply(x); }, {.name = "member"});
  auto dense = tl::function([](const tl::tensor& x) {
    Dense d;  // its default member initializer creates a variable
    return d(x);
  }, {.name = "dense"});
  (void)m1; (void)templ; (void)member; (void)dense;
}

void more_negatives() {
  tl::metrics::mean shared;
  tl::optimizers::sgd opt(0.1);
  Dense outside_layer;
  auto g = tl::function([&](const tl::tensor& x) {
    shared.update_state(x);
    tl::gradient_tape tape;  // a tape creates no variable
    auto loss = tl::sum(outside_layer(x));
    opt.apply_gradients(tape.gradient(loss, std::vector<tl::variable>{outside_layer.w}), {outside_layer.w});
    return loss;
  });
  tl::variable made_outside(tl::zeros({1}));  // outside any traced function
  (void)g;
}

// A constructor that makes variables, called only from a create-once branch: first trace only.
struct Built {
  Built() : w(tl::ones({2})) {}
  tl::variable w;
};
struct Conv {
  tl::variable k{tl::ones({3})};  // WARN[trace-variable-creation]: a tl::variable is created while tracing 'conv_every_trace'
};

void guarded_in_caller() {
  std::optional<Built> built;
  auto lazy = tl::function([&](const tl::tensor& x) {
    if (!built) built = Built();
    return x * built->w.value();
  });
  std::optional<Conv> conv;
  auto conv_lazy = tl::function([&](const tl::tensor& x) {
    if (!conv) conv = Conv();
    return x * tl::sum(conv->k.value());
  });
  auto conv_every_trace = tl::function([](const tl::tensor& x) { return x * tl::sum(Conv().k.value()); });
  (void)lazy; (void)conv_lazy; (void)conv_every_trace;
}
