// Gradients through tl::function calls: a traced call is differentiable like any op (tf.function's
// behaviour), whether the tape watches the call's tensor inputs or variables read inside it, on the
// tracing call and on replays, for nested calls, and under an outer trace. Every gradient is checked
// against central finite differences of the same traced function.
#include <gtest/gtest.h>
#include <tl/tl.h>

#include <cmath>
#include <functional>
#include <vector>

namespace {

tl::tensor vec(std::vector<float> v, tl::shape_t s) { return tl::tensor::from_vector<float>(v, std::move(s)); }

// d sum(f(x)) / dx by central differences, one element at a time.
std::vector<float> numeric_gradient(const std::function<tl::tensor(const tl::tensor&)>& f, const tl::tensor& x) {
  auto x0 = x.to_vector<float>();
  std::vector<float> g(x0.size());
  const float h = 1e-2f;
  for (std::size_t i = 0; i < x0.size(); ++i) {
    auto plus = x0, minus = x0;
    plus[i] += h;
    minus[i] -= h;
    float fp = tl::sum(f(vec(plus, x.shape()))).item<float>();
    float fm = tl::sum(f(vec(minus, x.shape()))).item<float>();
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

void expect_close(const std::vector<float>& got, const std::vector<float>& want, float tol = 2e-2f) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], tol * std::max(1.f, std::fabs(want[i]))) << "element " << i;
}

// The guide's example: a tape around a traced `add` of a variable's value and ones.
TEST(TracedGradients, ThroughATracedCallOfAVariablesValue) {
  tl::variable v(tl::ones({2, 2}));
  auto add = tl::function([](const tl::tensor& a, const tl::tensor& b) { return a + b; });
  for (int call = 0; call < 2; ++call) {  // the tracing call, then a replay
    tl::gradient_tape tape;
    auto result = tl::sum(add(v.value(), tl::ones({2, 2})));
    auto g = tape.gradient(result, std::vector<tl::variable>{v});
    EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{1, 1, 1, 1})) << "call " << call;
  }
  EXPECT_EQ(add.tracing_count(), 1);
}

TEST(TracedGradients, WatchedTensorThroughFusedElementwiseChain) {
  // A chain the optimizer fuses into one node: the tape still sees every op.
  auto f = tl::function([](const tl::tensor& x) { return tl::tanh(x * x + 1.0) * 3.0 - tl::sigmoid(x); });
  auto x = vec({0.3f, -0.7f, 1.1f, 0.4f, -0.2f, 0.9f}, {2, 3});
  auto want = numeric_gradient([&](const tl::tensor& a) { return f(a); }, x);
  for (int call = 0; call < 3; ++call) {
    tl::gradient_tape tape;
    tape.watch(x);
    auto y = tl::sum(f(x));
    expect_close(tape.gradient(y, std::vector<tl::tensor>{x})[0].to_vector<float>(), want);
  }
}

TEST(TracedGradients, VariablesReadInsideTheTracedCall) {
  tl::variable w(vec({0.5f, -0.4f, 0.3f, 0.8f, -0.6f, 0.2f}, {3, 2}), "w");
  tl::variable b(vec({0.1f, -0.2f}, {2}), "b");
  auto x = vec({0.3f, -0.7f, 1.1f, 0.4f, -0.2f, 0.9f}, {2, 3});
  auto labels = tl::tensor::from_vector<std::int64_t>({1, 0}, {2});
  auto loss_fn = tl::function([&](const tl::tensor& in) {
    return tl::mean(tl::sparse_softmax_cross_entropy(tl::relu(tl::matmul(in, w) + b) * 2.0, labels));
  });
  // Reference: the same loss computed eagerly, its gradient by the eager tape.
  auto eager_loss = [&] {
    return tl::mean(tl::sparse_softmax_cross_entropy(tl::relu(tl::matmul(x, w) + b) * 2.0, labels));
  };
  std::vector<tl::tensor> want;
  {
    tl::gradient_tape tape;
    want = tape.gradient(eager_loss(), std::vector<tl::variable>{w, b});
  }
  for (int call = 0; call < 2; ++call) {
    tl::gradient_tape tape;
    auto got = tape.gradient(loss_fn(x), std::vector<tl::variable>{w, b});
    expect_close(got[0].to_vector<float>(), want[0].to_vector<float>(), 1e-5f);
    expect_close(got[1].to_vector<float>(), want[1].to_vector<float>(), 1e-5f);
  }
  // And the eager tape's gradient is itself right: finite differences over w's entries.
  auto w0 = w.value().to_vector<float>();
  std::vector<float> numeric(w0.size());
  for (std::size_t i = 0; i < w0.size(); ++i) {
    auto plus = w0, minus = w0;
    plus[i] += 1e-2f;
    minus[i] -= 1e-2f;
    w.assign(vec(plus, {3, 2}));
    float fp = loss_fn(x).item<float>();
    w.assign(vec(minus, {3, 2}));
    float fm = loss_fn(x).item<float>();
    numeric[i] = (fp - fm) / 2e-2f;
  }
  w.assign(vec(w0, {3, 2}));
  expect_close(want[0].to_vector<float>(), numeric);
}

TEST(TracedGradients, NestedTracedCalls) {
  auto inner = tl::function([](const tl::tensor& x) { return tl::exp(x) * x; });
  auto outer = tl::function([&](const tl::tensor& x) { return inner(x * 2.0) + inner(x); });
  auto x = vec({0.1f, -0.3f, 0.5f}, {3});
  auto want = numeric_gradient([&](const tl::tensor& a) { return outer(a); }, x);
  tl::gradient_tape tape;
  tape.watch(x);
  auto y = tl::sum(outer(x));
  expect_close(tape.gradient(y, std::vector<tl::tensor>{x})[0].to_vector<float>(), want);
}

TEST(TracedGradients, UnderAnOuterTraceEagerAndTracedAgree) {
  tl::variable w(vec({0.2f, -0.5f, 0.7f}, {3}), "w");
  auto predict = tl::function([&](const tl::tensor& x) { return tl::tanh(x * w); });
  auto grad_step = [&](const tl::tensor& x) {
    tl::gradient_tape tape;
    auto loss = tl::sum(tl::square(predict(x)));
    return tape.gradient(loss, std::vector<tl::variable>{w})[0];
  };
  auto traced_step = tl::function(grad_step);
  auto x = vec({1.0f, 2.0f, -1.0f}, {3});
  auto eager = grad_step(x).to_vector<float>();
  auto traced = traced_step(x).to_vector<float>();
  auto replayed = traced_step(x).to_vector<float>();
  expect_close(traced, eager, 1e-5f);
  expect_close(replayed, eager, 1e-5f);
  // d/dw sum(tanh(x w)^2) = 2 tanh(x w) (1 - tanh^2) x
  for (std::size_t i = 0; i < 3; ++i) {
    float xi = x.to_vector<float>()[i], wi = w.value().to_vector<float>()[i];
    float t = std::tanh(xi * wi);
    EXPECT_NEAR(eager[i], 2 * t * (1 - t * t) * xi, 1e-5f);
  }
}

TEST(TracedGradients, AssignmentsInsideTheCallStillHappenOncePerCall) {
  tl::variable steps(tl::zeros({}), "steps", /*trainable=*/false);
  tl::variable w(vec({1.0f, 2.0f}, {2}), "w");
  auto f = tl::function([&](const tl::tensor& x) {
    steps.assign_add(tl::ones({}));
    return x * w;
  });
  auto x = vec({3.0f, 4.0f}, {2});
  for (int call = 0; call < 3; ++call) {
    tl::gradient_tape tape;
    auto g = tape.gradient(tl::sum(f(x)), std::vector<tl::variable>{w});
    EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{3, 4}));
  }
  EXPECT_EQ(steps.value().item<float>(), 3.f);
  EXPECT_EQ(f.tracing_count(), 1);
}

TEST(TracedGradients, WithoutATapeTheCallReplaysTheOptimizedGraph) {
  auto f = tl::function([](const tl::tensor& x) { return x * 2.0 + 1.0; });
  auto x = vec({1, 2}, {2});
  tl::gradient_tape unrelated;  // watches nothing the call uses: no recording needed
  EXPECT_EQ(f(x).to_vector<float>(), (std::vector<float>{3, 5}));
  auto g = unrelated.gradient(tl::sum(f(x)), std::vector<tl::tensor>{x});
  EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{0, 0}));  // x was never watched
}

}  // namespace
