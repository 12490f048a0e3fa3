// Imitates hand-written metric classes for a regression model (a torchmetrics-like MAE and a threshold sweep for a PR-style report) used from traced evaluation.
// Hazards: trace-host-mutation (MeanAbsoluteError::count_ += inside update), trace-host-io (debug print in update), trace-scalar-retrace (tolerance tightened every epoch, passed as a host double).
// Must stay silent: the MAE value kept in a tl::metrics::mean member, an R2-like metric made lazily behind `if (!r2_)`, a sample counter in a tl::variable, results read after the calls.
#include <tl/tl.h>

#include <iostream>
#include <memory>
#include <vector>

class MeanAbsoluteError {
 public:
  void update(const tl::tensor& y, const tl::tensor& pred) {
    count_ += y.shape()[0];  // WARN[trace-host-mutation]: host counter bumped once per trace
    std::cout << "MeanAbsoluteError::update\n";  // WARN[trace-host-io]
    value_.update_state(tl::abs(y - pred));
  }
  float value() const { return value_.result().item<float>(); }
  std::int64_t count() const { return count_; }

 private:
  std::int64_t count_ = 0;
  tl::metrics::mean value_;
};

class Evaluator {
 public:
  tl::tensor update(const tl::tensor& y, const tl::tensor& pred) {
    if (!r2_) r2_ = std::make_unique<tl::metrics::mean>();
    r2_->update_state(tl::square(y - pred));
    seen_.assign_add(tl::cast(tl::fill({}, static_cast<double>(y.shape()[0])), tl::dtype::float32));
    return r2_->result();
  }
  float seen() const { return seen_.value().item<float>(); }

 private:
  std::unique_ptr<tl::metrics::mean> r2_;
  tl::variable seen_{tl::constant(0.0), "seen", false};
};

int main() {
  auto x = tl::stateless_normal({6, 2}, 221);
  auto y = tl::matmul(x, tl::tensor::from_vector<float>({1.f, -2.f}, {2, 1}));
  tl::variable w(tl::zeros({2, 1}), "w");
  tl::optimizers::sgd opt(0.2);
  MeanAbsoluteError mae;
  Evaluator evaluator;

  auto train_eval = tl::function([&](const tl::tensor& xb, const tl::tensor& yb) {
    tl::gradient_tape tape;
    auto pred = tl::matmul(xb, w);
    auto loss = tl::mean(tl::square(yb - pred));
    std::vector<tl::variable> vars{w};
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    mae.update(yb, pred);
    return std::make_pair(loss, evaluator.update(yb, pred));
  }, {.name = "train_eval"});

  auto within = tl::function([&](const tl::tensor& xb, const tl::tensor& yb, double threshold) {
    auto err = tl::abs(yb - tl::matmul(xb, w));
    return tl::mean(tl::cast(tl::less(err, tl::constant(threshold)), tl::dtype::float32));
  }, {.name = "within_threshold"});

  double tolerance = 2.0;
  for (int epoch = 0; epoch < 4; ++epoch) {
    auto [loss, sq] = train_eval(x, y);
    std::cout << "epoch " << epoch << " loss " << loss.item<float>() << " mse-metric " << sq.item<float>();
    tolerance *= 0.5;  // tightened every epoch
    std::cout << " within(" << tolerance << ")=" << within(x, y, tolerance).item<float>() << "\n";  // WARN[trace-scalar-retrace]: a new tolerance every epoch, a new trace
  }
  std::cout << "MAE " << mae.value() << " host count " << mae.count() << " variable count " << evaluator.seen() << "\n";
  return 0;
}
