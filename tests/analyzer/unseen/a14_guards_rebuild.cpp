// a14_guards_rebuild: a lazily built Keras-style model: layers created on first call, a projection rebuilt
// when the input width changes, a verbose line counter, and a scratch variable made on every trace.
// Hazards:
//   trace-host-mutation x1: a counter behind 'if (verbose_)' (the branch does not write what it tests).
//   trace-variable-creation x1: an unguarded scratch variable in the traced member function.
// Must stay silent: a unique_ptr layer created in a create-once branch (and the Dense constructor it
//   runs); an optional metric emplaced once; a bias created under !defined(); the width guard's own write;
//   the metric update in the graph; calls with a fixed shape in the loop.
// Known limit (marked limit[...]): the projection rebuilt under 'if (in_dim_ != in)' creates a variable on
//   the retrace for a new width and throws at run time; the rule page says the guard test is syntactic,
//   so this counts as a guard and is not reported.
#include <tl/tl.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>

struct Dense {
  explicit Dense(std::int64_t in) : w(tl::fill({in, 2}, 0.1), "dense_w") {}        // ok: constructor runs only from a create-once branch
  tl::tensor operator()(const tl::tensor& x) const { return tl::matmul(x, w); }
  tl::variable w;
};

class Model {
 public:
  explicit Model(bool verbose) : verbose_(verbose) {}

  tl::tensor forward(const tl::tensor& x) {
    const std::int64_t in = x.shape()[1];
    if (in_dim_ != in) {
      proj_ = tl::variable(tl::fill({in, 2}, 0.5), "proj");                         // limit[trace-variable-creation]: rebuilt on the retrace for a new width
      in_dim_ = in;                                                                 // ok: write to the state the guard tests
    }
    if (!head_) head_ = std::make_unique<Dense>(2);                                 // ok: create-once guard on a unique_ptr member
    if (!bias_.defined()) bias_ = tl::variable(tl::zeros({2}), "bias");              // ok: create-once guard on an empty handle
    if (!seen_) seen_.emplace();                                                    // ok: optional metric emplaced once
    if (verbose_) ++lines_;                                                         // WARN[trace-host-mutation]: 'if (verbose_)' does not write verbose_, so it is no create-once guard
    tl::variable scratch(tl::zeros({2}), "scratch");                                // WARN[trace-variable-creation]: made on every trace, unguarded
    auto h = (*head_)(tl::matmul(x, proj_)) + bias_;
    seen_->update_state(h);                                                         // ok: metric update is a graph op
    scratch.assign(tl::mean(h, {0}));
    return h + scratch;
  }
  int lines() const { return lines_; }

 private:
  bool verbose_;
  std::int64_t in_dim_ = -1;
  tl::variable proj_;
  tl::variable bias_;
  std::unique_ptr<Dense> head_;
  std::optional<tl::metrics::mean> seen_;
  int lines_ = 0;
};

int main() {
  Model model(true);
  auto fwd = tl::function([&model](const tl::tensor& x) { return model.forward(x); }, {.name = "forward"});
  for (int i = 0; i < 3; ++i) {
    fwd(tl::ones({2, 3}));                                                          // ok: same shape every iteration
  }
  fwd(tl::ones({2, 5}));                                                            // ok: a second width, outside the loop (one retrace)
  std::cout << model.lines() << "\n";
  return 0;
}
