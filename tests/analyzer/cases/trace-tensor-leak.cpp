// Annotated cases for trace-tensor-leak (severity error). The same writes are host mutations too.
#include <tl/tl.h>

#include <vector>

tl::tensor g_last;
std::vector<tl::tensor> g_history;

struct Model {
  tl::tensor cache;
  tl::tensor forward(const tl::tensor& x) {
    cache = x * 2.0;  // ERROR[trace-tensor-leak]: is stored into member 'cache' // WARN[trace-host-mutation]: member 'cache' is assigned
    return cache;
  }
};

void positives() {
  tl::tensor kept;
  std::vector<tl::tensor> outputs;
  Model m;
  auto f = tl::function([&](const tl::tensor& x) {
    auto y = x + 1.0;
    kept = y;  // ERROR[trace-tensor-leak]: stored into 'kept' (captured) // WARN[trace-host-mutation]: 'kept' (captured by reference) is assigned
    g_last = y;  // ERROR[trace-tensor-leak]: stored into global 'g_last' // WARN[trace-host-mutation]: global 'g_last' is assigned
    outputs.push_back(y);  // ERROR[trace-tensor-leak]: (through 'push_back') // WARN[trace-host-mutation]: 'outputs' (captured by reference) is changed by 'push_back()'
    g_history.push_back(y);  // ERROR[trace-tensor-leak]: global 'g_history' // WARN[trace-host-mutation]: global 'g_history' is changed by 'push_back()'
    return m.forward(y);
  });
  (void)f;
}

void negatives() {
  tl::variable v(tl::zeros({2}));
  auto captured = tl::ones({2});
  auto f = tl::function([&](const tl::tensor& x) {
    tl::tensor local = x * 2.0;  // a local of the trace
    std::vector<tl::tensor> scratch;
    scratch.push_back(local);
    v.assign(local);  // a variable: the graph writes it on every call
    float host = captured.to_vector<float>()[0];  // reading a captured concrete tensor is fine
    return local * static_cast<double>(host);  // returned: the supported way out
  });
  (void)f;
}

#define KEEP(dst, v) ((dst) = (v))
tl::tensor g_macro_slot;

template <class T>
void stash(std::vector<T>& into, const T& v) {
  into.push_back(v);  // ERROR[trace-tensor-leak]: stored into 'outputs' (captured) (through parameter 'into') // WARN[trace-host-mutation]: 'outputs' (captured by reference) is changed by 'push_back()' through parameter 'into'
}

struct Cache {
  static tl::tensor last;
};
tl::tensor Cache::last;

void more_positives() {
  auto f = tl::function([](const tl::tensor& x) {
    KEEP(g_macro_slot, x * 3.0);  // ERROR[trace-tensor-leak]: global 'g_macro_slot' // WARN[trace-host-mutation]: global 'g_macro_slot' is assigned
    Cache::last = x;  // ERROR[trace-tensor-leak]: global 'last' // WARN[trace-host-mutation]: static member 'Cache::last' is assigned
    static tl::tensor remembered;
    remembered = x;  // ERROR[trace-tensor-leak]: static local 'remembered' // WARN[trace-host-mutation]: static local 'remembered' is assigned
    return x;
  });
  (void)f;
}

void more_negatives() {
  std::vector<tl::tensor> outputs;
  auto f = tl::function([&](const tl::tensor& x) {
    std::vector<tl::tensor> local;
    stash(local, x);  // the trace's own container: fine
    stash(outputs, x);  // the helper stores into captured state
    tl::tensor alias = x;
    alias = alias * 2.0;  // a local handle rebound inside the trace
    return alias;
  });
  outputs.push_back(f(tl::ones({1})));  // a concrete result, stored outside: fine
  auto twice = tl::function([](const tl::tensor& x) { return std::vector<tl::tensor>{x, x * 2.0}; });
  auto results = twice(tl::ones({1}));
  (void)results;
}

void guarded_and_nested() {
  std::vector<tl::variable> slots;
  std::vector<tl::tensor> kept;
  auto f = tl::function([&](const tl::tensor& x) {
    if (slots.empty()) slots.emplace_back(x * 0.0);  // a variable made from the tensor: not a leak
    std::vector<tl::tensor> parts;
    auto add = [&parts](const tl::tensor& t) { parts.push_back(t); };  // the trace's own container
    add(x);
    auto keep = [&](const tl::tensor& t) { kept.push_back(t); };  // ERROR[trace-tensor-leak]: stored into 'kept' (captured) // WARN[trace-host-mutation]: 'kept' (captured by reference) is changed by 'push_back()'
    keep(x);
    return tl::concat(parts, 0) + slots[0].value();
  });
  (void)f;
}
