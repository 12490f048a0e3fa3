// Annotated cases for trace-host-mutation: positives carry WARN, negatives carry nothing.
#include <tl/tl.h>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <vector>

int counter = 0;
std::vector<float> history;
std::atomic<int> hits{0};
thread_local int per_thread = 0;
struct Registry {
  static int created;
};
int Registry::created = 0;
namespace app {
double scale = 1.0;
}
#define BUMP(x) ++(x)

void helper_bumps_global() {
  counter += 2;  // WARN[trace-host-mutation]: global 'counter' is assigned while tracing 'uses_helper'
}

int pure_helper(int a) {
  int local = a;  // locals of a reachable helper are fine
  local *= 2;
  return local;
}

struct Model {
  int calls = 0;
  tl::variable w{tl::ones({2})};
  tl::tensor forward(const tl::tensor& x) {
    ++calls;  // WARN[trace-host-mutation]: member 'calls' is incremented while tracing 'model_step'
    return x * w;
  }
  tl::tensor pure(const tl::tensor& x) const { return x + 1.0; }
};

template <class T>
void push_twice(std::vector<T>& v, T value) {
  v.push_back(value);  // WARN[trace-host-mutation]: 'sink' (captured by reference) is changed by 'push_back()' through parameter 'v' of 'push_twice'
  v.push_back(value);  // WARN[trace-host-mutation]: 'sink' (captured by reference) is changed by 'push_back()' through parameter 'v'
}

struct Functor {
  int seen = 0;
  tl::tensor operator()(const tl::tensor& x) {
    seen = 1;  // WARN[trace-host-mutation]: member 'seen' is assigned while tracing 'functor_step'
    return x;
  }
};

void positives() {
  int captured = 0;
  std::map<int, int> cache;
  auto t1 = tl::function([&](const tl::tensor& x) {
    counter++;  // WARN[trace-host-mutation]: global 'counter' is incremented while tracing 't1'
    history.push_back(1.f);  // WARN[trace-host-mutation]: global 'history' is changed by 'push_back()'
    hits.store(3);  // WARN[trace-host-mutation]: global 'hits' is changed by 'store()'
    per_thread = 4;  // WARN[trace-host-mutation]: thread_local 'per_thread' is assigned
    Registry::created += 1;  // WARN[trace-host-mutation]: static member 'Registry::created' is assigned
    app::scale *= 0.5;  // WARN[trace-host-mutation]: global 'app::scale' is assigned
    captured = 7;  // WARN[trace-host-mutation]: 'captured' (captured by reference) is assigned
    cache[1] = 2;  // WARN[trace-host-mutation]: 'cache' (captured by reference) is assigned
    static int calls = 0;
    calls++;  // WARN[trace-host-mutation]: static local 'calls' is incremented
    BUMP(counter);  // WARN[trace-host-mutation]: global 'counter' is incremented
    return x;
  });
  auto uses_helper = tl::function([](const tl::tensor& x) {
    helper_bumps_global();  // NOTE: called from 'uses_helper'
    return x;
  });
  Model m;
  auto model_step = tl::function([&m](const tl::tensor& x) { return m.forward(x); });
  auto t2 = tl::function([copy = 0](const tl::tensor& x) mutable {
    copy += 1;  // WARN[trace-host-mutation]: the lambda's copy of 'copy' is assigned
    return x;
  });
  std::vector<int> sink;
  auto t3 = tl::function([&](const tl::tensor& x) {
    push_twice(sink, 1);
    return x;
  });
  auto functor_step = tl::function(Functor{});
  auto unnamed_var = tl::function([](const tl::tensor& x) {
    counter = 9;  // WARN[trace-host-mutation]: global 'counter' is assigned while tracing 'given_name'
    return x;
  }, {.name = "given_name"});
  (void)unnamed_var;
  (void)t1; (void)uses_helper; (void)model_step; (void)t2; (void)t3; (void)functor_step;
}

void negatives() {
  tl::variable v(tl::zeros({2}));
  tl::metrics::mean metric;
  tl::optimizers::sgd opt(0.1);
  Model m;
  auto n1 = tl::function([&](const tl::tensor& x) {
    int local = 0;
    local += 1;
    std::vector<int> scratch;
    scratch.push_back(local);
    v.assign_add(x);
    metric.update_state(x);
    tl::gradient_tape tape;
    auto loss = tl::sum(x * v);
    opt.apply_gradients(tape.gradient(loss, std::vector<tl::variable>{v}), {v});
    tl::print(x, "x");
    return m.pure(x) + static_cast<double>(pure_helper(3));
  });
  // Writes outside any traced function are not this check's business.
  counter = 5;
  history.clear();
  auto n2 = tl::function([](const tl::tensor& x) { return x * 2.0; });
  auto n3 = tl::function([&](const tl::tensor& x) {
    counter = 1;  // NOLINT(trace-host-mutation): suppressed on purpose
    // NOLINTNEXTLINE(trace-*)
    counter = 2;
    // NOLINTBEGIN
    counter = 3;
    // NOLINTEND
    counter = 4;  // NOLINT(trace-host-random) does not cover this check // WARN[trace-host-mutation]: global 'counter' is assigned while tracing 'n3'
    return x;
  });  // the line above is the only unsuppressed one:
  (void)n1; (void)n2; (void)n3;
}

// Create-once guards: the branch tests host state and sets it, so it runs on the first trace only.
struct Lazy {
  std::vector<tl::variable> slots;
  bool built_ = false;
  int builds = 0;
  tl::tensor operator()(const tl::tensor& x) {
    if (slots.empty()) slots.emplace_back(x * 0.0);
    if (!built_) {
      ++builds;  // written in the same once-only branch
      built_ = true;
    }
    return x + slots[0].value();
  }
};

struct Chatty {
  bool verbose = true;
  int lines = 0;
  tl::tensor operator()(const tl::tensor& x) {
    if (verbose) ++lines;  // WARN[trace-host-mutation]: member 'lines' is incremented while tracing 'chatty'
    return x;
  }
};

void set_flag(bool* flag) { *flag = true; }  // WARN[trace-host-mutation]: 'seen' (captured by reference) is assigned through parameter 'flag' of 'set_flag'

struct Tally {
  int n = 0;
  void bump() { ++n; }  // WARN[trace-host-mutation]: member 'n' is incremented while tracing 'shared_tally'
};

void guards_and_locals() {
  auto own_tally = tl::function([](const tl::tensor& x) {
    Tally mine;  // the trace's own object: its members die with the trace
    mine.bump();
    return x;
  }, {.name = "own_tally"});
  Tally kept;
  auto shared_tally = tl::function([&](const tl::tensor& x) {
    kept.bump();
    return x;
  }, {.name = "shared_tally"});
  (void)own_tally; (void)shared_tally;
  Lazy lazy;
  auto guarded = tl::function([&](const tl::tensor& x) { return lazy(x); });
  std::unique_ptr<Model> model;
  std::optional<tl::metrics::mean> metric;
  auto guarded_ptr = tl::function([&](const tl::tensor& x) {
    if (!model) model = std::make_unique<Model>();
    if (!metric) metric.emplace();
    return model->pure(x);
  });
  Chatty chatty_obj;
  auto chatty = tl::function([&](const tl::tensor& x) { return chatty_obj(x); });
  // A nested lambda writing the trace's own locals through its captures: local writes.
  auto nested = tl::function([](const tl::tensor& x) {
    int applied = 0;
    tl::tensor acc = x;
    auto apply = [&](double f) {
      acc = acc * f;
      ++applied;
    };
    apply(2.0);
    return acc + static_cast<double>(applied);
  });
  // A lambda of the host code, called while tracing, writes host state.
  int host_count = 0;
  auto bump = [&host_count] { ++host_count; };  // WARN[trace-host-mutation]: 'host_count' (captured by reference) is incremented while tracing 'calls_bump'
  auto calls_bump = tl::function([&](const tl::tensor& x) {
    bump();
    return x;
  });
  bool seen = false;
  auto flags = tl::function([&](const tl::tensor& x) {
    bool mine = false;
    set_flag(&mine);  // the trace's own local: fine
    set_flag(&seen);
    return x;
  });
  // Accessors of a captured container hand out access; they write nothing.
  std::vector<float> table = {1.f, 2.f};
  auto reads_table = tl::function([&](const tl::tensor& x) { return x * static_cast<double>(table.front() + table.at(1)); });
  (void)guarded; (void)guarded_ptr; (void)chatty; (void)nested; (void)calls_bump; (void)flags; (void)reads_table;
}
