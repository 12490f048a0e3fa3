// Beyond the guide: every create-once guard form tf.function documents (state made on the first
// trace only), in C++. The guarded creation, a variable built from a traced tensor inside the
// guarded creation, and the write that turns the guard off run once, by design. An `if` on host
// state that its branch does not turn off is no guard: what it writes happens once per trace.
#include <tl/tl.h>

#include <memory>
#include <optional>
#include <vector>

struct Dense {
  tl::variable w{tl::ones({2})};
  tl::tensor operator()(const tl::tensor& x) const { return x * w.value(); }
};

struct Slots {
  std::vector<tl::variable> slots;
  tl::tensor operator()(const tl::tensor& x) {
    if (slots.empty()) slots.emplace_back(x * 0.0);
    slots[0].assign_add(x);
    return slots[0].value();
  }
};

struct Built {
  bool built_ = false;
  tl::variable w;
  tl::tensor operator()(const tl::tensor& x) {
    if (!built_) {
      w = tl::variable(tl::ones({2}));
      built_ = true;
    }
    return x * w.value();
  }
};

struct Verbose {
  bool verbose = true;
  int logged = 0;
  tl::tensor operator()(const tl::tensor& x) {
    if (verbose) ++logged;  // WARN[trace-host-mutation]: logged
    return x;
  }
};

int main() {
  Slots s;
  auto slots_step = tl::function([&](const tl::tensor& x) { return s(x); }, {.name = "slots_step"});
  slots_step(tl::ones({2}));
  slots_step(tl::ones({2}));

  Built built;
  auto built_step = tl::function([&](const tl::tensor& x) { return built(x); }, {.name = "built_step"});
  built_step(tl::ones({2}));

  std::unique_ptr<Dense> layer;
  auto layer_step = tl::function([&](const tl::tensor& x) {
    if (!layer) layer = std::make_unique<Dense>();
    return (*layer)(x);
  }, {.name = "layer_step"});
  layer_step(tl::ones({2}));

  std::optional<tl::optimizers::sgd> opt;
  tl::variable w(tl::ones({2}));
  auto opt_step = tl::function([&](const tl::tensor& x) {
    if (!opt) opt.emplace(0.1);
    tl::gradient_tape tape;
    auto loss = tl::sum(x * w.value());
    opt->apply_gradients(tape.gradient(loss, std::vector<tl::variable>{w}), {w});
    return loss;
  }, {.name = "opt_step"});
  opt_step(tl::ones({2}));

  std::vector<tl::variable> lazy_vars;
  auto vars_step = tl::function([&](const tl::tensor& x) {
    if (lazy_vars.empty()) {
      lazy_vars.emplace_back(x * 0.0);
      lazy_vars.push_back(tl::variable(tl::ones({2})));
    }
    return x * lazy_vars[1].value() + lazy_vars[0].value();
  }, {.name = "vars_step"});
  vars_step(tl::ones({2}));

  Verbose verbose;
  auto verbose_step = tl::function([&](const tl::tensor& x) { return verbose(x); }, {.name = "verbose_step"});
  verbose_step(tl::ones({2}));

  // A guard on one thing that writes another: the other write is a per-trace host mutation.
  int traces = 0;
  std::vector<tl::variable> made;
  auto mixed_step = tl::function([&](const tl::tensor& x) {
    if (made.empty()) made.emplace_back(tl::ones({2}));
    traces += 1;  // WARN[trace-host-mutation]: traces
    return x * made[0].value();
  }, {.name = "mixed_step"});
  mixed_step(tl::ones({2}));

  // An unguarded creation, next to a guarded one.
  auto unguarded = tl::function([&](const tl::tensor& x) {
    tl::variable fresh(tl::ones({2}));  // WARN[trace-variable-creation]: tl::variable
    return x * fresh.value();
  }, {.name = "unguarded"});
  unguarded(tl::ones({2}));
  return 0;
}
