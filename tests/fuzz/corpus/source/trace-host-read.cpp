// Annotated cases for trace-host-read (severity error).
#include <tl/tl.h>

tl::tensor clip(const tl::tensor& x) {
  if (tl::sum(x).item<float>() > 10.f) return x * 0.5;  // ERROR[trace-host-read]: 'item' reads the value of a tensor computed while tracing 'clips'
  return x;
}

void positives() {
  auto f = tl::function([](const tl::tensor& x) {
    auto m = tl::max(x);
    float peak = m.item<float>();  // ERROR[trace-host-read]: 'item' reads the value of a tensor computed while tracing 'f'
    auto values = x.to_vector<float>();  // ERROR[trace-host-read]: 'to_vector'
    if (tl::greater(m, tl::constant(0.0))) return x;  // ERROR[trace-host-read]: 'operator bool'
    return x * static_cast<double>(peak + values[0]);
  });
  auto clips = tl::function([](const tl::tensor& x) { return clip(x); });
  (void)f;
  (void)clips;
}

void negatives() {
  auto captured = tl::ones({2});
  auto f = tl::function([&](const tl::tensor& x) {
    float c = captured.to_vector<float>()[0];  // a concrete tensor captured from outside: readable
    return tl::where(tl::greater(x, tl::constant(0.0)), x, x * static_cast<double>(c));
  });
  auto out = f(tl::ones({2}));
  float v = out.to_vector<float>()[0];  // outside the trace: a concrete result
  (void)v;
}

#define PEAK(t) tl::max(t).item<float>()

struct Gate {
  bool open(const tl::tensor& x) { return static_cast<bool>(tl::greater(tl::sum(x), tl::constant(0.0))); }  // ERROR[trace-host-read]: 'operator bool'
};

template <class T>
T first(const tl::tensor& x) {
  return x.to_vector<T>()[0];  // ERROR[trace-host-read]: 'to_vector' reads the value of a tensor computed while tracing 'templ'
}

void more_positives() {
  auto m = tl::function([](const tl::tensor& x) { return x * static_cast<double>(PEAK(x)); }, {.name = "macro"});  // ERROR[trace-host-read]: 'item'
  Gate g;
  auto member = tl::function([&](const tl::tensor& x) { return g.open(x) ? x : x * 0.0; }, {.name = "member"});
  auto templ = tl::function([](const tl::tensor& x) { return x * static_cast<double>(first<float>(x)); }, {.name = "templ"});
  auto raw = tl::function([](const tl::tensor& x) {
    const void* p = (x * 2.0).raw_data();  // ERROR[trace-host-read]: 'raw_data'
    (void)p;
    return x;
  });
  (void)m; (void)member; (void)templ; (void)raw;
}

void more_negatives() {
  auto t = tl::ones({2});
  float peak = PEAK(t);  // eager: concrete
  Gate g;
  bool open = g.open(t);  // eager
  auto f = tl::function([](const tl::tensor& x) { return tl::where(tl::greater(x, tl::constant(0.0)), x, -x); });
  (void)peak; (void)open; (void)f;
}

void even_more_negatives() {
  auto weights = tl::random_normal({4}, 3);
  auto f = tl::function([&](const tl::tensor& x) {
    auto host = weights.to_vector<float>();  // captured concrete tensor: readable while tracing
    bool any = static_cast<bool>(tl::constant(1.0, tl::dtype::bool_).defined());  // not a host read of a value
    (void)any;
    return x * static_cast<double>(host[0]);
  });
  auto y = f(tl::ones({4}));
  if (tl::greater(tl::sum(y), tl::constant(0.0))) y = y * 2.0;  // outside the trace: a concrete branch
  float s = tl::sum(y).item<float>();
  (void)s;
}
