// The executor's fusions give the values of the unfused graph: the optimizer update folded into the
// weight-gradient GEMM, bias add + ReLU as a GEMM epilogue, softmax cross-entropy's gradient as one
// kernel, and fused elementwise programs run as generated loops. Each case traces the same code twice,
// once with TL_FUSION=0 (read when a trace is optimized: the graph-level passes of before issue 20 and
// the interpreter only) and once with the fusions on, and compares the results, and with eager execution.
#include <gtest/gtest.h>
#include <tl/tl.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace {

// Sets TL_FUSION for the lifetime of the object (the optimizer reads it once per trace).
struct fusion_env {
  explicit fusion_env(bool on) { setenv("TL_FUSION", on ? "1" : "0", 1); }
  ~fusion_env() { unsetenv("TL_FUSION"); }
};

void expect_close(const std::vector<float>& got, const std::vector<float>& want, float tol = 1e-5f) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "element " << i;
      continue;
    }
    if (std::isinf(want[i])) {
      EXPECT_EQ(got[i], want[i]) << "element " << i;
      continue;
    }
    ASSERT_NEAR(got[i], want[i], tol * std::max(1.f, std::fabs(want[i]))) << "element " << i;
  }
}

struct model {
  tl::variable w1, b1, w2, b2;
  tl::optimizers::sgd opt;
  // Every model starts from the same values (a stateful random op draws new ones on each call).
  model(const std::vector<tl::tensor>& init, double lr, double momentum)
      : w1(init[0]), b1(init[1]), w2(init[2]), b2(init[3]), opt(lr, momentum) {}
  std::vector<tl::variable> params() const { return {w1, b1, w2, b2}; }
  tl::tensor step_xent(const tl::tensor& x, const tl::tensor& y) {
    tl::gradient_tape tape;
    auto logits = tl::matmul(tl::relu(tl::matmul(x, w1) + b1), w2) + b2;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(logits, y));
    auto p = params();
    opt.apply_gradients(tape.gradient(loss, p), p);
    return loss;
  }
  tl::tensor step_mse(const tl::tensor& x, const tl::tensor& y) {
    tl::gradient_tape tape;
    auto pred = tl::matmul(tl::relu(tl::matmul(x, w1) + b1), w2) + b2;
    auto loss = tl::mean(tl::square(pred - y));
    auto p = params();
    opt.apply_gradients(tape.gradient(loss, p), p);
    return loss;
  }
};

tl::tensor labels(std::int64_t n, std::int64_t classes) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = (i * 7) % classes;
  return tl::tensor::from_vector(v, {n});
}

// Three traced steps with the fusions off, on, and eagerly: same losses and same weights.
void compare_training(std::int64_t in, std::int64_t hidden, std::int64_t out, std::int64_t batch, double momentum,
                      bool xent) {
  auto x = tl::random_normal({batch, in}, 21);
  auto y = xent ? labels(batch, out) : tl::random_normal({batch, out}, 22);
  std::vector<tl::tensor> init{
      tl::random_normal({in, hidden}, 11, 0.f, 0.1f), tl::random_normal({hidden}, 12, 0.f, 0.1f),
      tl::random_normal({hidden, out}, 13, 0.f, 0.1f), tl::random_normal({out}, 14, 0.f, 0.1f)};
  model unfused(init, 0.1, momentum), fused(init, 0.1, momentum), eager(init, 0.1, momentum);
  auto body = [xent](model& m, const tl::tensor& a, const tl::tensor& b) {
    return xent ? m.step_xent(a, b) : m.step_mse(a, b);
  };
  auto f_unfused = tl::function([&](const tl::tensor& a, const tl::tensor& b) { return body(unfused, a, b); });
  auto f_fused = tl::function([&](const tl::tensor& a, const tl::tensor& b) { return body(fused, a, b); });
  for (int step = 0; step < 3; ++step) {
    tl::tensor l_unfused, l_fused;
    {
      fusion_env off(false);
      l_unfused = f_unfused(x, y);
    }
    {
      fusion_env on(true);
      l_fused = f_fused(x, y);
    }
    auto l_eager = body(eager, x, y);
    expect_close(l_fused.to_vector<float>(), l_unfused.to_vector<float>());
    expect_close(l_fused.to_vector<float>(), l_eager.to_vector<float>());
  }
  auto pu = unfused.params(), pf = fused.params(), pe = eager.params();
  for (std::size_t i = 0; i < pu.size(); ++i) {
    SCOPED_TRACE("parameter " + std::to_string(i));
    expect_close(pf[i].value().to_vector<float>(), pu[i].value().to_vector<float>());
    expect_close(pf[i].value().to_vector<float>(), pe[i].value().to_vector<float>());
  }
}

TEST(Fusion, MlpStepWithSgdMatchesUnfused) { compare_training(96, 48, 10, 32, 0.0, true); }
TEST(Fusion, MlpStepWithMomentumMatchesUnfused) { compare_training(96, 48, 10, 32, 0.9, true); }
TEST(Fusion, MseStepMatchesUnfused) { compare_training(40, 24, 3, 16, 0.0, false); }
TEST(Fusion, TinyStepBelowTheBlasSizeMatchesUnfused) { compare_training(8, 16, 1, 8, 0.0, false); }

// A read of the variable whose value is needed after the fused update still sees the old value, and
// a read after it sees the new one: reads and writes happen in program order.
TEST(Fusion, ReadsAroundTheFusedUpdateSeeProgramOrder) {
  for (bool on : {false, true}) {
    SCOPED_TRACE(on ? "fused" : "unfused");
    tl::variable w(tl::random_normal({32, 24}, 31));
    auto x = tl::random_normal({20, 32}, 32);
    auto g = tl::random_normal({20, 24}, 33);
    auto f = tl::function([&](const tl::tensor& a, const tl::tensor& b) {
      auto before = w.value();
      w.assign_sub(tl::matmul(a, b, true, false) * 0.5);
      auto after = w.value();
      return tl::concat({before, after}, 0);
    });
    auto w0 = w.value().to_vector<float>();
    fusion_env env(on);
    auto out = f(x, g).to_vector<float>();
    auto upd = tl::matmul(x, g, true, false).to_vector<float>();
    for (std::size_t i = 0; i < w0.size(); ++i) {
      ASSERT_FLOAT_EQ(out[i], w0[i]) << i;
      ASSERT_NEAR(out[w0.size() + i], w0[i] - 0.5f * upd[i], 1e-4f) << i;
    }
  }
}

// The update's GEMM reads the variable it writes (W -= lr * W^T W): the operand is the value read
// before the update, not the half-updated storage.
TEST(Fusion, UpdateWhoseGemmReadsTheSameVariable) {
  std::vector<std::vector<float>> results;
  auto init = tl::random_normal({24, 24}, 41, 0.f, 0.2f);
  for (bool on : {false, true}) {
    tl::variable w(init);
    auto f = tl::function([&](const tl::tensor& s) {
      auto v = w.value();
      w.assign_sub(tl::matmul(v, v, true, false) * 0.1);
      return s + 1.0;
    });
    fusion_env env(on);
    f(tl::constant(0.1f));
    f(tl::constant(0.1f));
    results.push_back(w.value().to_vector<float>());
  }
  expect_close(results[1], results[0]);
}

// An eager read of the variable handed out before the replay keeps its value (copy on write).
TEST(Fusion, EagerReadTakenBeforeTheReplayKeepsItsValue) {
  fusion_env env(true);
  tl::variable w(tl::random_normal({32, 16}, 51));
  auto x = tl::random_normal({8, 32}, 52), g = tl::random_normal({8, 16}, 53);
  auto f = tl::function([&](const tl::tensor& a, const tl::tensor& b) {
    w.assign_add(tl::matmul(a, b, true, false) * 0.25);
    return a;
  });
  f(x, g);
  auto held = w.value();
  auto snapshot = held.to_vector<float>();
  f(x, g);
  EXPECT_EQ(held.to_vector<float>(), snapshot);
  EXPECT_NE(w.value().to_vector<float>(), snapshot);
}

// Forward pass: relu(x W + b) with the epilogue, with NaN and negative values, and when the
// pre-activation is also returned (no fusion may drop a value that is used elsewhere).
TEST(Fusion, BiasReluEpilogueMatchesUnfused) {
  auto x = tl::random_normal({33, 40}, 61);
  auto w = tl::random_normal({40, 20}, 62);
  std::vector<float> bias(20);
  for (std::size_t i = 0; i < bias.size(); ++i) bias[i] = static_cast<float>(i) * 0.1f - 1.f;
  bias[3] = std::numeric_limits<float>::quiet_NaN();
  auto b = tl::tensor::from_vector<float>(bias, {20});
  std::vector<std::vector<float>> results, both;
  for (bool on : {false, true}) {
    fusion_env env(on);
    auto f = tl::function(
        [](const tl::tensor& a, const tl::tensor& m, const tl::tensor& c) { return tl::relu(tl::matmul(a, m) + c); });
    auto g = tl::function([](const tl::tensor& a, const tl::tensor& m, const tl::tensor& c) {
      auto h = tl::matmul(a, m) + c;
      return tl::concat({tl::relu(h), h}, 0);
    });
    auto t = tl::function([](const tl::tensor& a, const tl::tensor& m, const tl::tensor& c) {
      return tl::relu(tl::matmul(a, m, false, true) + c);  // transposed operand
    });
    results.push_back(f(x, w, b).to_vector<float>());
    both.push_back(g(x, w, b).to_vector<float>());
    results.push_back(t(x, tl::transpose(w, {1, 0}), b).to_vector<float>());
  }
  auto eager = tl::relu(tl::matmul(x, w) + b).to_vector<float>();
  expect_close(results[2], results[0]);
  expect_close(results[3], results[1]);
  expect_close(results[2], eager);
  expect_close(results[3], eager);
  expect_close(both[1], both[0]);
}

// The gradient of mean softmax cross-entropy [rows, classes] with the loss as one more row.
tl::tensor gradient_and_loss(const tl::tensor& logits, const tl::tensor& labels) {
  tl::gradient_tape tape;
  tape.watch(logits);
  auto loss = tl::mean(tl::sparse_softmax_cross_entropy(logits, labels));
  auto classes = logits.shape()[1];
  return tl::concat(
      {tape.gradient(loss, std::vector<tl::tensor>{logits})[0], tl::reshape(loss, {1, 1}) + tl::zeros({1, classes})},
      0);
}

// Softmax cross-entropy's gradient, with the fusion on and off, against eager execution.
TEST(Fusion, SoftmaxCrossEntropyGradientMatchesUnfused) {
  auto logits = tl::random_normal({17, 9}, 71, 0.f, 3.f);
  auto y = labels(17, 9);
  std::vector<std::vector<float>> results;
  for (bool on : {false, true}) {
    fusion_env env(on);
    auto f = tl::function(gradient_and_loss);
    results.push_back(f(logits, y).to_vector<float>());
    results.push_back(f(logits, y).to_vector<float>());
  }
  auto eager = gradient_and_loss(logits, y).to_vector<float>();
  for (auto& r : results) expect_close(r, eager);
}

// With the forward and backward sharing one kernel, a label outside [0, classes) is still an error that
// names the label and its row, fused or not.
TEST(Fusion, SoftmaxCrossEntropyRejectsABadLabelWhenFused) {
  auto logits = tl::random_normal({4, 3}, 73);
  auto bad = tl::tensor::from_vector<std::int64_t>({0, 2, 3, 1}, {4});
  for (bool on : {false, true}) {
    fusion_env env(on);
    auto f = tl::function(gradient_and_loss);
    try {
      f(logits, bad);
      ADD_FAILURE() << "no error for label 3 of 3 classes (fusion " << on << ")";
    } catch (const tl::error& e) {
      EXPECT_NE(std::string(e.what()).find("label 3 in row 2 is outside [0, 3)"), std::string::npos) << e.what();
    }
  }
}

// Elementwise programs of several shapes (chains, trees, scalar operands, every op the fused
// kernel knows, NaN and infinities in the data) give the interpreter's values.
TEST(Fusion, GeneratedElementwiseLoopsMatchTheInterpreter) {
  const std::int64_t n = 70001;  // above the parallel threshold, not a multiple of any block
  auto a = tl::random_normal({n}, 81), b = tl::random_uniform({n}, 82) + 0.5;
  std::vector<float> special(static_cast<std::size_t>(n), 1.f);
  special[5] = std::numeric_limits<float>::quiet_NaN();
  special[6] = std::numeric_limits<float>::infinity();
  special[7] = -std::numeric_limits<float>::infinity();
  special[8] = 0.f;
  special[9] = -0.f;
  auto s = tl::tensor::from_vector<float>(special, {n});
  using fn = std::function<tl::tensor(const tl::tensor&, const tl::tensor&, const tl::tensor&)>;
  std::vector<std::pair<const char*, fn>> programs = {
      {"bench chain", [](auto& x, auto& y, auto&) { return tl::relu(x * 2.0 + y) * y - x; }},
      {"scalar first", [](auto& x, auto& y, auto&) { return (2.0 - x) / y + 1.5; }},
      {"unary chain", [](auto& x, auto&, auto&) { return tl::abs(tl::neg(tl::square(tl::relu(x)))); }},
      {"tree", [](auto& x, auto& y, auto& z) { return (x * y + z) * (x - y * z) + tl::maximum(x, z); }},
      {"min max with NaN", [](auto& x, auto& y, auto& z) { return tl::minimum(tl::maximum(z, x), y) - z; }},
      {"unary table", [](auto& x, auto& y, auto&) { return tl::exp(tl::neg(tl::abs(x))) + tl::sqrt(y) * tl::tanh(x); }},
      {"pow", [](auto& x, auto& y, auto&) { return tl::pow(y, x * 0.5) - y; }},
      {"operand reused", [](auto& x, auto&, auto& z) { return (x + z) * z * z - x; }},
      {"sgd-like", [](auto& x, auto& y, auto&) { return x - y * 0.01; }},
  };
  for (auto& [name, f] : programs) {
    SCOPED_TRACE(name);
    std::vector<std::vector<float>> results;
    for (bool on : {false, true}) {
      fusion_env env(on);
      auto traced = tl::function(f);
      results.push_back(traced(a, b, s).to_vector<float>());
      results.push_back(traced(s, b, a).to_vector<float>());
    }
    expect_close(results[2], results[0]);
    expect_close(results[3], results[1]);
    expect_close(results[2], f(a, b, s).to_vector<float>());
  }
}

// A chain over 16 MiB, split across the threads, with a tail: the values are the interpreter's.
TEST(Fusion, LargeChainMatchesTheInterpreter) {
  const std::int64_t n = (std::int64_t{16} << 20) / 4 + 37;
  auto a = tl::random_normal({n}, 85), b = tl::random_normal({n}, 86);
  auto f = [](const tl::tensor& x, const tl::tensor& y) { return tl::relu(x * 2.0 + y) * y - x; };
  std::vector<std::vector<float>> results;
  for (bool on : {false, true}) {
    fusion_env env(on);
    auto traced = tl::function(f);
    results.push_back(traced(a, b).to_vector<float>());
    results.push_back(traced(b, a).to_vector<float>());
  }
  expect_close(results[2], results[0]);
  expect_close(results[3], results[1]);
}

// A gradient tape around a traced call with fused updates still differentiates it (the tape runs the
// traced graph op by op).
TEST(Fusion, TapeAroundATracedCallStillWorks) {
  fusion_env env(true);
  tl::variable w(tl::random_normal({30, 20}, 91)), b(tl::random_normal({20}, 92));
  auto x = tl::random_normal({25, 30}, 93);
  auto f = tl::function([&](const tl::tensor& a) { return tl::sum(tl::relu(tl::matmul(a, w) + b)); });
  f(x);
  tl::gradient_tape tape;
  auto y = f(x);
  auto grads = tape.gradient(y, std::vector<tl::variable>{w, b});
  tl::gradient_tape eager_tape;
  auto ye = tl::sum(tl::relu(tl::matmul(x, w) + b));
  auto ge = eager_tape.gradient(ye, std::vector<tl::variable>{w, b});
  expect_close(y.to_vector<float>(), ye.to_vector<float>());
  expect_close(grads[0].to_vector<float>(), ge[0].to_vector<float>());
  expect_close(grads[1].to_vector<float>(), ge[1].to_vector<float>());
}

}  // namespace
