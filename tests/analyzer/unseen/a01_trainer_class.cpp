// a01_trainer_class: a Keras-style Trainer object. Its member function train_step is traced through a
// lambda in main; the object keeps a build flag, a step counter, the last loss and an optimizer across
// calls.
// Hazards:
//   trace-host-mutation x2: a member step counter bumped in the traced member function; the symbolic loss
//     stored into a member (a host write too).
//   trace-tensor-leak x1: the symbolic loss kept in a member that outlives the trace.
// Must stay silent: create-once build guard (variable created and flag set inside it), local gradient
//   tape, optimizer apply_gradients inside the trace, variable counter assign_add, tl::print, member read
//   as a constant, a variable member initializer run outside traces, an eager member function with host
//   I/O and host writes called only outside traces, host read of the returned (concrete) loss.
// Known limit (marked limit[...], not a finding per the rule page): set_scale() changes a member the
//   trace baked, through a user method with a visible body (trace-stale-capture does not count it).
#include <tl/tl.h>

#include <cstdint>
#include <iostream>
#include <vector>

class Trainer {
 public:
  explicit Trainer(double scale) : scale_(scale), opt_(0.05) {}

  tl::tensor train_step(const tl::tensor& x, const tl::tensor& y) {
    if (!built_) {                                                    // ok: create-once guard on a member
      w_ = tl::variable(tl::zeros({x.shape()[1], 1}), "w");           // ok: variable made in the create-once branch
      built_ = true;                                                  // ok: the guard's own flag, set in its branch
    }
    tl::gradient_tape tape;                                           // ok: tape is a local of the trace
    auto pred = tl::matmul(x, w_) * scale_;                           // ok: member read, baked as a constant
    auto loss = tl::mean(tl::square(pred - y));
    auto grads = tape.gradient(loss, std::vector<tl::variable>{w_});
    opt_.apply_gradients(grads, {w_});                                // ok: optimizer update inside the trace
    seen_.assign_add(tl::constant(1.0));                              // ok: variable counter, a graph op
    ++steps_;                                                         // WARN[trace-host-mutation]: member counter counts traces, not calls
    last_loss_ = loss;                                                // ERROR[trace-tensor-leak]: symbolic loss kept in a member // WARN[trace-host-mutation]: member written once per trace
    return tl::print(loss, "loss");                                   // ok: graph print runs on every call
  }

  // Eager helper: only ever called outside traced functions.
  void report(const tl::tensor& loss) {
    ++reports_;                                                       // ok: host write outside any trace
    std::cout << "report " << reports_ << ": " << loss.item<float>() << "\n";  // ok: host I/O and read outside traces
  }

  void set_scale(double s) { scale_ = s; }
  int steps() const { return steps_; }

 private:
  double scale_;
  tl::optimizers::sgd opt_;
  tl::variable w_;
  tl::variable seen_{tl::constant(0.0), "seen"};                     // ok: created with the Trainer, outside traces
  bool built_ = false;
  int steps_ = 0;
  int reports_ = 0;
  tl::tensor last_loss_;
};

int main() {
  Trainer trainer(2.0);
  auto x = tl::random_normal({8, 3}, 1);                              // ok: eager random op outside traces
  auto y = tl::random_normal({8, 1}, 2);
  auto step = tl::function(
      [&trainer](const tl::tensor& a, const tl::tensor& b) { return trainer.train_step(a, b); },
      {.name = "train_step"});
  for (int epoch = 0; epoch < 4; ++epoch) {
    auto loss = step(x, y);                                           // ok: same shapes on every call
    trainer.report(loss);                                             // ok: eager member call on a concrete loss
    if (epoch == 1) trainer.set_scale(1.0);                           // limit[trace-stale-capture]: baked scale_ changed through a user method
  }
  std::cout << "steps counted: " << trainer.steps() << "\n";        // ok: host I/O outside traces
  return 0;
}
