#include <gtest/gtest.h>
#include <tl/tl.h>

#include <cmath>
#include <functional>

namespace {

tl::tensor vec(std::vector<float> v, tl::shape_t s) { return tl::tensor::from_vector<float>(v, std::move(s)); }

void expect_values(const tl::tensor& t, const std::vector<float>& expected, float tol = 1e-5f) {
  auto got = t.to_vector<float>();
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], tol) << "at " << i;
}

TEST(Ops, ElementwiseBroadcasting) {
  auto a = vec({1, 2, 3, 4, 5, 6}, {2, 3});
  auto b = vec({10, 20, 30}, {3});
  expect_values(a + b, {11, 22, 33, 14, 25, 36});
  auto c = vec({1, 2}, {2, 1});
  expect_values(a * c, {1, 2, 3, 8, 10, 12});
  expect_values(a - 1.0, {0, 1, 2, 3, 4, 5});
  expect_values(2.0 / vec({1, 4}, {2}), {2, 0.5});
  EXPECT_EQ((a + b).shape(), (tl::shape_t{2, 3}));
}

TEST(Ops, BroadcastErrorNamesOpShapesAndLocation) {
  auto a = vec({1, 2, 3}, {3});
  auto b = vec({1, 2}, {2});
  try {
    tl::add(a, b);
    FAIL() << "expected tl::error";
  } catch (const tl::error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("tl::add"), std::string::npos) << m;
    EXPECT_NE(m.find("[3]"), std::string::npos) << m;
    EXPECT_NE(m.find("[2]"), std::string::npos) << m;
    EXPECT_NE(m.find("ops_test.cpp"), std::string::npos) << m;
  }
}

TEST(Ops, DtypeErrors) {
  auto f = vec({1}, {1});
  auto i = tl::tensor::from_vector<std::int32_t>({1}, {1});
  EXPECT_THROW(tl::add(f, i), tl::error);
  EXPECT_THROW(tl::exp(i), tl::error);
  EXPECT_THROW(f.item<std::int32_t>(), tl::error);
}

TEST(Ops, ComparisonsAndWhere) {
  auto a = vec({1, 5, 3}, {3});
  auto b = vec({2, 2, 3}, {3});
  EXPECT_EQ(tl::less(a, b).to_vector<bool>(), (std::vector<bool>{true, false, false}));
  EXPECT_EQ(tl::equal(a, b).to_vector<bool>(), (std::vector<bool>{false, false, true}));
  expect_values(tl::where(tl::greater(a, b), a, b), {2, 5, 3});
}

TEST(Ops, UnaryMath) {
  auto a = vec({-1, 0.5, 2}, {3});
  expect_values(tl::relu(a), {0, 0.5, 2});
  expect_values(tl::abs(a), {1, 0.5, 2});
  expect_values(tl::exp(a), {std::exp(-1.f), std::exp(0.5f), std::exp(2.f)});
  expect_values(tl::sigmoid(a), {1 / (1 + std::exp(1.f)), 1 / (1 + std::exp(-0.5f)), 1 / (1 + std::exp(-2.f))});
  expect_values(tl::tanh(a), {std::tanh(-1.f), std::tanh(0.5f), std::tanh(2.f)});
  expect_values(tl::sqrt(vec({4, 9}, {2})), {2, 3});
  expect_values(tl::log(vec({1, std::exp(1.f)}, {2})), {0, 1});
  expect_values(tl::softplus(vec({-1, 0, 2, 30}, {4})),
                {std::log1p(std::exp(-1.f)), std::log(2.f), std::log1p(std::exp(2.f)), 30});
  // Traced and fused with its neighbours, it computes the same.
  auto f = tl::function([](const tl::tensor& x) { return tl::softplus(x * 2.0) + 1.0; });
  expect_values(f(a), {std::log1p(std::exp(-2.f)) + 1, std::log1p(std::exp(1.f)) + 1, std::log1p(std::exp(4.f)) + 1});
}

TEST(Ops, MatmulSmallLargeBatchedTransposed) {
  auto a = vec({1, 2, 3, 4, 5, 6}, {2, 3});
  auto b = vec({1, 0, 0, 1, 1, 1}, {3, 2});
  expect_values(tl::matmul(a, b), {4, 5, 10, 11});
  expect_values(tl::matmul(a, a, false, true), {14, 32, 32, 77});
  expect_values(tl::matmul(a, a, true, false), {17, 22, 27, 22, 29, 36, 27, 36, 45});
  auto batched = tl::reshape(tl::concat({a, a}, 0), {2, 2, 3});
  auto out = tl::matmul(batched, b);
  EXPECT_EQ(out.shape(), (tl::shape_t{2, 2, 2}));
  expect_values(out, {4, 5, 10, 11, 4, 5, 10, 11});
  // Large enough for the BLAS path; compare against the small kernel on a slice.
  auto big_a = tl::random_normal({64, 48}, 3);
  auto big_b = tl::random_normal({48, 32}, 4);
  auto big = tl::matmul(big_a, big_b);
  auto ref = big_a.to_vector<float>();
  auto rb = big_b.to_vector<float>();
  auto got = big.to_vector<float>();
  for (int i : {0, 17, 63})
    for (int j : {0, 9, 31}) {
      double s = 0;
      for (int k = 0; k < 48; ++k) s += ref[i * 48 + k] * rb[k * 32 + j];
      EXPECT_NEAR(got[i * 32 + j], s, 1e-3);
    }
  EXPECT_THROW(tl::matmul(a, a), tl::error);
}

TEST(Ops, Reductions) {
  auto a = vec({1, 2, 3, 4, 5, 6}, {2, 3});
  expect_values(tl::sum(a), {21});
  expect_values(tl::sum(a, {0}), {5, 7, 9});
  expect_values(tl::sum(a, {1}, true), {6, 15});
  EXPECT_EQ(tl::sum(a, {1}, true).shape(), (tl::shape_t{2, 1}));
  expect_values(tl::mean(a, {-1}), {2, 5});
  expect_values(tl::max(a, {0}), {4, 5, 6});
  EXPECT_EQ(tl::argmax(a, 1).to_vector<std::int64_t>(), (std::vector<std::int64_t>{2, 2}));
  auto c = tl::reshape(tl::arange(0, 24, 1, tl::dtype::float32), {2, 3, 4});
  expect_values(tl::sum(c, {0, 2}), {60, 92, 124});  // non-contiguous axes
  EXPECT_THROW(tl::sum(a, {2}), tl::error);
}

TEST(Ops, ShapeManipulation) {
  auto a = vec({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(tl::reshape(a, {3, -1}).shape(), (tl::shape_t{3, 2}));
  EXPECT_THROW(tl::reshape(a, {4, -1}), tl::error);
  expect_values(tl::transpose(a), {1, 4, 2, 5, 3, 6});
  expect_values(tl::slice(a, {0, 1}, {2, -1}), {2, 3, 5, 6});
  EXPECT_THROW(tl::slice(a, {0, 2}, {1, 2}), tl::error);
  expect_values(tl::concat({a, a}, 1), {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6});
  auto idx = tl::tensor::from_vector<std::int64_t>({2, 0}, {2});
  expect_values(tl::gather(a, idx, 1), {3, 1, 6, 4});
  EXPECT_THROW(tl::gather(a, tl::tensor::from_vector<std::int64_t>({5}, {1}), 1), tl::error);
  expect_values(tl::one_hot(idx, 3), {0, 0, 1, 1, 0, 0});
  expect_values(tl::cast(tl::tensor::from_vector<std::int32_t>({3, -1}, {2}), tl::dtype::float32), {3, -1});
  expect_values(tl::broadcast_to(vec({1, 2}, {2}), {2, 2}), {1, 2, 1, 2});
}

TEST(Ops, SoftmaxAndCrossEntropy) {
  auto logits = vec({1, 2, 3, 1, 1, 1}, {2, 3});
  auto p = tl::softmax(logits);
  expect_values(tl::sum(p, {1}), {1, 1});
  expect_values(tl::exp(tl::log_softmax(logits)), p.to_vector<float>());
  auto labels = tl::tensor::from_vector<std::int64_t>({2, 0}, {2});
  auto loss = tl::sparse_softmax_cross_entropy(logits, labels);
  auto lp = tl::log_softmax(logits).to_vector<float>();
  expect_values(loss, {-lp[2], -lp[3]});
  expect_values(tl::softmax_cross_entropy(logits, tl::one_hot(labels, 3)), {-lp[2], -lp[3]});
  EXPECT_THROW(tl::sparse_softmax_cross_entropy(logits, tl::tensor::from_vector<std::int64_t>({3, 0}, {2})), tl::error);
}

TEST(Ops, CreationAndPrinting) {
  EXPECT_EQ(tl::zeros({2, 2}).to_vector<float>(), std::vector<float>(4, 0.f));
  EXPECT_EQ(tl::fill({3}, 7, tl::dtype::int32).to_vector<std::int32_t>(), (std::vector<std::int32_t>{7, 7, 7}));
  EXPECT_EQ(tl::arange(0, 5, 2).to_vector<std::int64_t>(), (std::vector<std::int64_t>{0, 2, 4}));
  EXPECT_EQ(tl::stateless_normal({5}, 42).to_vector<float>(), tl::stateless_normal({5}, 42).to_vector<float>());
  auto u = tl::random_uniform({100}, 1, -1, 1).to_vector<float>();
  for (float v : u) EXPECT_TRUE(v >= -1 && v < 1);
  std::ostringstream os;
  os << vec({1, 2}, {2});
  EXPECT_EQ(os.str(), "tl::tensor([1, 2], dtype=float32, shape=[2])");
  EXPECT_THROW(tl::tensor::from_vector<float>({1, 2, 3}, {2}), tl::error);
  EXPECT_THROW(tl::zeros({1 << 30, 1 << 30}), tl::error);  // 4 EiB: a clear error, not an abort
}

// Gradients against central finite differences, for every differentiable op.
void check_gradient(const std::function<tl::tensor(const tl::tensor&)>& f, const tl::tensor& x0, float tol = 2e-2f) {
  tl::gradient_tape tape;
  tape.watch(x0);
  auto y = tl::sum(f(x0));
  auto g = tape.gradient(y, std::vector<tl::tensor>{x0})[0].to_vector<float>();
  auto xs = x0.to_vector<float>();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const float h = 1e-2f;
    auto plus = xs, minus = xs;
    plus[i] += h;
    minus[i] -= h;
    float fp = tl::sum(f(tl::tensor::from_vector(plus, x0.shape()))).item<float>();
    float fm = tl::sum(f(tl::tensor::from_vector(minus, x0.shape()))).item<float>();
    EXPECT_NEAR(g[i], (fp - fm) / (2 * h), tol * std::max(1.f, std::fabs(g[i]))) << "element " << i;
  }
}

TEST(Gradients, FiniteDifferences) {
  auto x = vec({0.3f, -0.7f, 1.1f, 0.4f, -0.2f, 0.9f}, {2, 3});
  auto w = vec({0.5f, -0.4f, 0.3f, 0.8f, -0.6f, 0.2f}, {3, 2});
  auto row = vec({0.1f, 0.2f, -0.3f}, {3});
  auto labels = tl::tensor::from_vector<std::int64_t>({1, 2}, {2});
  check_gradient([&](auto& a) { return a + row; }, x);
  check_gradient([&](auto& a) { return row - a; }, x);
  check_gradient([&](auto& a) { return a * a * row; }, x);
  check_gradient([&](auto& a) { return row / (a * a + 1.0); }, x);
  check_gradient([&](auto& a) { return tl::pow(a * a + 1.0, vec({1.5f}, {1})); }, x);
  check_gradient([&](auto& a) { return tl::maximum(a, row) + tl::minimum(a, row); }, x);
  check_gradient([](auto& a) { return tl::exp(a); }, x);
  check_gradient([](auto& a) { return tl::log(a * a + 1.0); }, x);
  check_gradient([](auto& a) { return tl::sqrt(a * a + 1.0); }, x);
  check_gradient([](auto& a) { return tl::tanh(a); }, x);
  check_gradient([](auto& a) { return tl::sigmoid(a); }, x);
  check_gradient([](auto& a) { return tl::softplus(a); }, x);
  check_gradient([](auto& a) { return tl::relu(a) * 3.0; }, x);
  check_gradient([](auto& a) { return tl::abs(a); }, x);
  check_gradient([](auto& a) { return tl::square(a); }, x);
  check_gradient([](auto& a) { return -a; }, x);
  check_gradient([&](auto& a) { return tl::matmul(a, w); }, x);
  check_gradient([&](auto& a) { return tl::matmul(w, a, true, true); }, x);
  check_gradient([](auto& a) { return tl::square(tl::sum(a, {0})); }, x);
  check_gradient([](auto& a) { return tl::square(tl::mean(a, {1}, true)); }, x);
  check_gradient([](auto& a) { return tl::max(a, {1}); }, x);
  check_gradient([](auto& a) { return tl::square(tl::reshape(a, {3, 2})) * vec({1, 2}, {2}); }, x);
  check_gradient([&](auto& a) { return tl::transpose(a) * w; }, x);
  check_gradient([](auto& a) { return tl::square(tl::slice(a, {0, 1}, {2, 2})); }, x);
  check_gradient([](auto& a) { return tl::square(tl::concat({a, a * 2.0}, 1)); }, x);
  check_gradient(
      [](auto& a) { return tl::square(tl::gather(a, tl::tensor::from_vector<std::int64_t>({2, 2, 0}, {3}), 1)); }, x);
  check_gradient([&](auto& a) { return tl::where(tl::greater(a, row), a * 2.0, a * a); }, x);
  check_gradient([](auto& a) { return tl::square(tl::broadcast_to(tl::sum(a, {0}), {2, 3})); }, x);
  check_gradient([&](auto& a) { return tl::softmax(a) * row; }, x);
  check_gradient([&](auto& a) { return tl::log_softmax(a) * row; }, x);
  check_gradient([&](auto& a) { return tl::sparse_softmax_cross_entropy(a, labels); }, x);
  check_gradient(
      [&](auto& a) { return tl::softmax_cross_entropy(a, tl::broadcast_to(tl::softmax(row * 3.0), {2, 3})); }, x);
  check_gradient([](auto& a) { return tl::cast(a, tl::dtype::float32) * 2.0; }, x);
}

}  // namespace
