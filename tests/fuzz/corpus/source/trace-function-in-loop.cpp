// Annotated cases for trace-function-in-loop.
#include <tl/tl.h>


void positives() {
  for (int i = 0; i < 10; ++i) {
    auto step = tl::function([](const tl::tensor& x) { return x * 2.0; });  // WARN[trace-function-in-loop]: 'step' is created inside a loop and called there
    step(tl::ones({2}));
  }
  int n = 0;
  while (n++ < 3) {
    auto named = tl::function([](const tl::tensor& x) { return x; }, {.name = "named"});  // WARN[trace-function-in-loop]: 'named' is created inside a loop
    named(tl::ones({1}));
    named(tl::ones({1}));
  }
}

void negatives() {
  auto step = tl::function([](const tl::tensor& x) { return x * 2.0; });
  for (int i = 0; i < 10; ++i) step(tl::ones({2}));  // created once, before the loop
  for (int i = 0; i < 3; ++i) {
    auto unused = tl::function([](const tl::tensor& x) { return x; });  // created but never called in the loop
    (void)unused;
  }
}

#define MAKE_STEP() tl::function([](const tl::tensor& x) { return x + 1.0; }, {.name = "macro"})

struct Runner {
  void epochs() {
    for (int e = 0; e < 3; ++e) {
      auto step = tl::function([this](const tl::tensor& x) { return x * scale; }, {.name = "member"});  // WARN[trace-function-in-loop]: 'member' is created inside a loop
      step(tl::ones({1}));
    }
  }
  double scale = 2.0;
};

template <class T>
void repeat() {
  for (int i = 0; i < 3; ++i) {
    auto step = tl::function([](const tl::tensor& x) { return x * static_cast<double>(sizeof(T)); }, {.name = "templ"});  // WARN[trace-function-in-loop]: 'templ' is created inside a loop
    step(tl::ones({1}));
  }
}

void more_positives() {
  for (int i = 0; i < 3; ++i) {
    auto step = MAKE_STEP();  // WARN[trace-function-in-loop]: 'macro' is created inside a loop
    step(tl::ones({1}));
  }
  repeat<float>();
  for (auto v : {1.0, 2.0}) {
    auto scaled = tl::function([v](const tl::tensor& x) { return x * v; }, {.name = "per_value"});  // WARN[trace-function-in-loop]: 'per_value' is created inside a loop
    scaled(tl::ones({1}));
  }
}

void more_negatives() {
  auto step = MAKE_STEP();
  for (int i = 0; i < 3; ++i) step(tl::ones({1}));
  Runner r;
  auto outer = tl::function([](const tl::tensor& x) { return x; });
  int n = 0;
  while (n++ < 3) outer(tl::ones({1}));
  (void)r;
}

void even_more() {
  int i = 0;
  do {
    auto step = tl::function([](const tl::tensor& x) { return x; }, {.name = "do_loop"});  // WARN[trace-function-in-loop]: 'do_loop' is created inside a loop
    step(tl::ones({1}));
  } while (++i < 3);
  for (int k = 0; k < 2; ++k) {
    for (int j = 0; j < 2; ++j) {
      auto inner = tl::function([](const tl::tensor& x) { return x; }, {.name = "nested"});  // WARN[trace-function-in-loop]: 'nested' is created inside a loop
      inner(tl::ones({1}));
    }
  }
  auto once = tl::function([](const tl::tensor& x) { return x; });
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 2; ++j) once(tl::ones({1}));  // created outside both loops
  auto reused = tl::function([](const tl::tensor& x) { return x * 2.0; });
  do {
    reused(tl::ones({1}));
  } while (++i < 6);
}

tl::tensor apply_once(const tl::tensor& x) {
  auto f = tl::function([](const tl::tensor& t) { return t * 3.0; });  // created per call of this helper, not in a loop here
  return f(x);
}

void final_negatives() {
  std::vector<tl::tensor> outs;
  auto made_before = tl::function([](const tl::tensor& x) { return x; });
  for (int i = 0; i < 3; ++i) outs.push_back(made_before(tl::ones({1})));
  (void)apply_once(tl::ones({1}));
}
