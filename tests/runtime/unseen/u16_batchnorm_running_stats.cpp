// Imitates a BatchNorm layer with running statistics (Keras BatchNormalization / torch BatchNorm1d), a training flag, and a debug-statistics helper.
// Hazards: trace-tensor-leak + trace-host-mutation (batch mean stashed in a member tensor), trace-host-read (debug helper calls to_vector inside a traced function).
// Must stay silent: running mean/var kept in variables assigned in the trace, momentum_ fixed at construction, the bool training flag (two traces), host statistics computed eagerly outside the trace.
#include <tl/tl.h>

#include <iostream>
#include <vector>

class BatchNorm {
 public:
  BatchNorm(std::int64_t features, double momentum)
      : moving_mean_(tl::zeros({features}), "moving_mean", false),
        moving_var_(tl::ones({features}), "moving_var", false),
        momentum_(momentum) {}

  tl::tensor operator()(const tl::tensor& x, bool training) {
    if (training) {
      auto mu = tl::mean(x, {0});
      auto var = tl::mean(tl::square(x - mu), {0});
      moving_mean_.assign(moving_mean_.value() * momentum_ + mu * (1.0 - momentum_));
      moving_var_.assign(moving_var_.value() * momentum_ + var * (1.0 - momentum_));
      last_batch_mean_ = mu;  // ERROR[trace-tensor-leak]: symbolic mean kept in a member // WARN[trace-host-mutation]: symbolic mean kept in a member
      return (x - mu) / tl::sqrt(var + 1e-5);
    }
    return (x - moving_mean_.value()) / tl::sqrt(moving_var_.value() + 1e-5);
  }
  tl::tensor running_mean() const { return moving_mean_.value(); }

 private:
  tl::variable moving_mean_, moving_var_;
  const double momentum_;
  tl::tensor last_batch_mean_;
};

std::vector<float> column_means(const tl::tensor& x) {
  return tl::mean(x, {0}).to_vector<float>();  // ERROR[trace-host-read]: reached from debug_stats with a symbolic tensor
}

int main() {
  auto x = tl::stateless_normal({8, 3}, 161, 1.f, 2.f);
  auto xv = tl::stateless_normal({4, 3}, 162, 1.f, 2.f);
  BatchNorm bn(3, 0.8);

  auto forward = tl::function([&](const tl::tensor& xb, bool training) { return bn(xb, training); }, {.name = "bn_forward"});

  auto debug_stats = tl::function([&](const tl::tensor& xb) {
    auto normed = bn(xb, false);
    std::vector<float> m = column_means(normed);  // the host read happens inside column_means
    return tl::tensor::from_vector<float>(m, {3});
  }, {.name = "debug_stats"});

  const auto host_means = column_means(x);  // eager: fine
  std::cout << "input column means " << host_means[0] << " " << host_means[1] << " " << host_means[2] << "\n";

  for (int epoch = 0; epoch < 4; ++epoch) {
    for (std::int64_t k = 0; k < 2; ++k) forward(tl::slice(x, {4 * k, 0}, {4, -1}), true);
    auto ev = forward(xv, false);
    std::cout << "epoch " << epoch << " running mean[0] " << bn.running_mean().to_vector<float>()[0]
              << " eval out mean " << tl::mean(ev).item<float>() << "\n";
  }
  try {
    debug_stats(xv);
  } catch (const tl::error&) {
    std::cout << "debug_stats cannot read values while tracing\n";
  }
  std::cout << "forward traces " << forward.tracing_count() << "\n";
  return 0;
}
