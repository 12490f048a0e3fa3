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
