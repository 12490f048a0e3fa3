// Annotated cases for trace-scalar-retrace.
#include <tl/tl.h>

void positives() {
  auto step = tl::function([](const tl::tensor& x, int k) { return x * static_cast<double>(k); });
  auto scaled = tl::function([](const tl::tensor& x, double lr) { return x * lr; }, {.name = "scaled"});
  double lr = 0.1;
  for (int i = 0; i < 100; ++i) {
    step(tl::ones({2}), i);  // WARN[trace-scalar-retrace]: argument 1 of 'step' is a host scalar that takes a new value
    scaled(tl::ones({2}), lr);  // WARN[trace-scalar-retrace]: argument 1 of 'scaled'
    lr *= 0.99;
  }
  int epoch = 0;
  while (epoch < 5) {
    step(tl::ones({2}), epoch * 2);  // WARN[trace-scalar-retrace]: from 'epoch'
    ++epoch;
  }
}

void negatives() {
  auto step = tl::function([](const tl::tensor& x, int k) { return x * static_cast<double>(k); });
  auto tensor_arg = tl::function([](const tl::tensor& x, const tl::tensor& k) { return x * k; });
  for (int i = 0; i < 100; ++i) {
    step(tl::ones({2}), 3);  // a constant value: one trace
    tensor_arg(tl::ones({2}), tl::constant(static_cast<double>(i)));  // a tensor: not part of the key by value
  }
  step(tl::ones({2}), 4);  // outside a loop
  auto flagged = tl::function([](const tl::tensor& x, bool training) { return training ? x * 0.5 : x; });
  for (int i = 0; i < 100; ++i) flagged(tl::ones({2}), i % 2 == 0);  // a flag: two traces, then replays
}

#define CALL_WITH(f, v) f(tl::ones({2}), (v))

struct Scheduler {
  double lr = 0.1;
  void run() {
    auto step = tl::function([](const tl::tensor& x, double rate) { return x * rate; }, {.name = "member_lr"});
    for (int e = 0; e < 3; ++e) {
      step(tl::ones({2}), lr);  // WARN[trace-scalar-retrace]: argument 1 of 'member_lr'
      lr *= 0.5;
    }
  }
};

template <class F>
void sweep(F& f) {
  for (int k = 0; k < 4; ++k) f(tl::ones({2}), k);  // WARN[trace-scalar-retrace]: argument 1 of 'templ'
}

void more_positives() {
  auto step = tl::function([](const tl::tensor& x, int k) { return x * static_cast<double>(k); }, {.name = "macro"});
  for (int i = 0; i < 4; ++i) CALL_WITH(step, i);  // WARN[trace-scalar-retrace]: argument 1 of 'macro'
  auto flag = tl::function([](const tl::tensor& x, bool train) { return train ? x : x * 0.0; }, {.name = "flag"});
  for (int i = 0; i < 4; ++i) flag(tl::ones({2}), i % 2 == 0);  // true, false: two traces, then replays (no finding)
  auto templ = tl::function([](const tl::tensor& x, int k) { return x * static_cast<double>(k); }, {.name = "templ"});
  sweep(templ);
}

void more_negatives() {
  auto step = tl::function([](const tl::tensor& x, int k) { return x * static_cast<double>(k); });
  const int fixed = 4;
  for (int i = 0; i < 4; ++i) step(tl::ones({2}), fixed);
  for (int i = 0; i < 4; ++i) CALL_WITH(step, 7);
  auto t = tl::function([](const tl::tensor& x, const tl::tensor& k) { return x * k; });
  for (int i = 0; i < 4; ++i) t(tl::ones({2}), tl::fill({}, static_cast<double>(i)));
}

void range_positive_and_negative() {
  auto step = tl::function([](const tl::tensor& x, int k) { return x * static_cast<double>(k); }, {.name = "ranged"});
  for (int v : {1, 2, 3}) step(tl::ones({2}), v);  // WARN[trace-scalar-retrace]: argument 1 of 'ranged'
  int base = 5;
  for (int i = 0; i < 3; ++i) step(tl::ones({2}), base);  // 'base' does not change in the loop
}
