// Annotated cases for trace-stale-capture.
#include <tl/tl.h>

#include <vector>

double g_scale = 1.0;

void positives() {
  double lr = 0.1;
  auto w = tl::ones({2});
  int steps = 0;
  auto step = tl::function([&](const tl::tensor& x) { return x * lr + w * g_scale + static_cast<double>(steps); });
  for (int i = 0; i < 10; ++i) {
    step(tl::ones({2}));
    lr *= 0.5;  // WARN[trace-stale-capture]: 'lr' is changed here, but 'step' baked its value
    w = w * 2.0;  // WARN[trace-stale-capture]: tensor 'w' is rebound here after 'step' traced it
    g_scale = 2.0;  // WARN[trace-stale-capture]: 'g_scale' is changed here
    ++steps;  // WARN[trace-stale-capture]: 'steps' is changed here
  }
  double decay = 1.0;
  auto decayed = tl::function([&](const tl::tensor& x) { return x * decay; });
  decayed(tl::ones({1}));
  decay = 0.5;  // WARN[trace-stale-capture]: 'decay' is changed here, but 'decayed' baked its value
  decayed(tl::ones({1}));
  int epoch = 0;
  auto by_epoch = tl::function([&](const tl::tensor& x) { return x * static_cast<double>(epoch); });
  while (epoch < 3) {
    by_epoch(tl::ones({1}));
    epoch += 1;  // WARN[trace-stale-capture]: 'epoch' is changed here
  }
}

void negatives() {
  double lr = 0.1;
  lr = 0.2;  // before the first call: the trace sees 0.2
  tl::variable w(tl::ones({2}));
  tl::optimizers::sgd opt(0.1);
  auto step = tl::function([&](const tl::tensor& x) { return x * lr * w; });
  for (int i = 0; i < 10; ++i) {
    step(tl::ones({2}));
    w.assign_sub(tl::fill({2}, 0.01));  // a variable is read when the graph runs: never stale // NOTE[trace-update-outside]: 'w', which 'step' reads
    double unrelated = 3.0;
    unrelated += 1.0;  // the trace does not read it
    double per_iteration = 1.0;  // declared inside the loop: a fresh variable
    per_iteration *= 2.0;
    (void)unrelated;
    (void)per_iteration;
  }
  // A by-value capture changed afterwards: the closure keeps its copy (reported, see the rule).
  auto by_value = tl::function([lr](const tl::tensor& x) { return x * lr; });
  for (int i = 0; i < 3; ++i) {
    by_value(tl::ones({1}));
    lr = 0.3;  // WARN[trace-stale-capture]: 'by_value' captured it by value: the lambda keeps the copy
  }
  auto passes_tensor = tl::function([](const tl::tensor& x, const tl::tensor& rate) { return x * rate; });
  auto rate = tl::constant(0.1);
  for (int i = 0; i < 3; ++i) {
    passes_tensor(tl::ones({1}), rate);
    rate = rate * 0.5;  // an argument, not a capture: the next call passes the new tensor
  }
}

#define HALVE(x) ((x) *= 0.5)
tl::tensor g_bias = tl::zeros({2});

template <class T>
void loop_with(T& f, double& lr) {
  for (int i = 0; i < 3; ++i) {
    f(tl::ones({2}));
    lr = 0.0;  // a reference parameter: the traced function read the caller's variable (not followed)
  }
}

void more_positives() {
  double momentum = 0.9;
  auto f = tl::function([&](const tl::tensor& x) { return x * momentum + g_bias; }, {.name = "more"});
  for (int i = 0; i < 3; ++i) {
    f(tl::ones({2}));
    HALVE(momentum);  // WARN[trace-stale-capture]: 'momentum' is changed here
    g_bias = g_bias + 1.0;  // WARN[trace-stale-capture]: tensor 'g_bias' is rebound here
  }
  loop_with(f, momentum);
}

void more_negatives() {
  double lr = 0.1;
  auto f = tl::function([&](const tl::tensor& x) { return x * lr; });
  f(tl::ones({2}));
  double other = lr;  // a read, not a write
  other += 1.0;
  (void)other;
}

struct Config {
  double scale = 1.0;
};

int containers_pointers_and_flow(bool early) {
  std::vector<float> coefficients = {1.f, 2.f};
  auto poly = tl::function([&](const tl::tensor& x) {
    tl::tensor acc = x * 0.0;
    for (float c : coefficients) acc = acc * x + static_cast<double>(c);
    return acc;
  }, {.name = "poly"});
  coefficients.push_back(3.f);  // before the first call
  poly(tl::ones({1}));
  if (early) {
    coefficients[0] = 9.f;  // the branch returns before any later call
    return 1;
  }
  coefficients.push_back(4.f);  // WARN[trace-stale-capture]: 'coefficients' is changed here, but 'poly' baked its value
  poly(tl::ones({1}));
  float first = coefficients.front();  // an accessor: no write
  Config a, b;
  const Config* active = &a;
  auto scaled = tl::function([&](const tl::tensor& x) { return x * active->scale; }, {.name = "scaled"});
  scaled(tl::ones({1}));
  active = &b;  // WARN[trace-stale-capture]: 'active' is changed here, but 'scaled' baked its value
  a.scale = 2.0;  // WARN[trace-stale-capture]: 'a' is changed here, but 'scaled' baked its value
  scaled(tl::ones({1}));
  auto by_arg = tl::function([](const tl::tensor& x, const Config& c) { return x * c.scale; }, {.name = "by_arg"});
  by_arg(tl::ones({1}), b);
  b.scale = 4.0;  // WARN[trace-stale-capture]: 'b' is changed here, but 'by_arg' baked its value
  by_arg(tl::ones({1}), b);
  Config fresh;
  fresh.scale = 5.0;  // a new object: a new cache key, traced with this value
  by_arg(tl::ones({1}), fresh);
  coefficients.clear();  // after the last call
  return static_cast<int>(first);
}
