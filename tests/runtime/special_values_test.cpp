// NaN, Inf and empty tensors through every kind of kernel, eager and traced. The reference is
// TensorFlow's CPU behaviour: NaN propagates through arithmetic, relu, maximum, reductions and
// matmul (it is never silently turned into a number); reductions over nothing give their identity
// (sum 0, max -inf) and mean over nothing is NaN; empty shapes flow through every op.
#include <gtest/gtest.h>
#include <tl/tl.h>

#include <cmath>
#include <limits>

namespace {

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

tl::tensor vec(std::vector<float> v) {
  auto n = static_cast<std::int64_t>(v.size());
  return tl::tensor::from_vector(v, {n});
}

std::vector<float> values(const tl::tensor& t) { return t.to_vector<float>(); }

// Every case runs eagerly and through a traced function (fused and planned kernels).
template <class F>
void both(F f, const tl::tensor& in, const std::function<void(const tl::tensor&)>& check) {
  check(f(in));
  auto traced = tl::function([&](const tl::tensor& a) { return f(a); });
  check(traced(in));
}

TEST(SpecialValues, NanPropagatesThroughElementwiseOps) {
  auto x = vec({kNan, 1.f, -2.f});
  auto check_first_nan = [](const tl::tensor& r) { EXPECT_TRUE(std::isnan(values(r)[0])); };
  both([](const tl::tensor& a) { return a + 1.0; }, x, check_first_nan);
  both([](const tl::tensor& a) { return a * 2.0; }, x, check_first_nan);
  both([](const tl::tensor& a) { return tl::exp(a); }, x, check_first_nan);
  both([](const tl::tensor& a) { return tl::relu(a); }, x, check_first_nan);
  both([](const tl::tensor& a) { return tl::relu(a * 2.0 + 1.0); }, x, check_first_nan);  // fused
  both([](const tl::tensor& a) { return tl::maximum(a, tl::zeros({3})); }, x, check_first_nan);
  both([](const tl::tensor& a) { return tl::minimum(a, tl::zeros({3})); }, x, check_first_nan);
  both([](const tl::tensor& a) { return tl::abs(a); }, x, check_first_nan);
  both([](const tl::tensor& a) { return tl::tanh(a); }, x, check_first_nan);
  both([](const tl::tensor& a) { return tl::sigmoid(a); }, x, check_first_nan);
}

TEST(SpecialValues, NanPropagatesThroughReductionsAndMatmul) {
  auto x = vec({1.f, kNan, 3.f});
  EXPECT_TRUE(std::isnan(tl::sum(x).item<float>()));
  EXPECT_TRUE(std::isnan(tl::mean(x).item<float>()));
  EXPECT_TRUE(std::isnan(tl::max(x).item<float>()));
  EXPECT_TRUE(std::isnan(tl::max(vec({kNan, 1.f})).item<float>()));
  auto m = tl::tensor::from_vector(std::vector<float>{1.f, kNan, 3.f, 4.f}, {2, 2});
  auto r = values(tl::matmul(m, tl::ones({2, 2})));
  EXPECT_FALSE(std::isnan(r[2]));
  EXPECT_TRUE(std::isnan(r[0]));
  EXPECT_TRUE(std::isnan(values(tl::softmax(tl::tensor::from_vector(std::vector<float>{kNan, 0.f}, {1, 2})))[1]));
}

TEST(SpecialValues, InfinitiesFollowIeeeRules) {
  auto x = vec({kInf, -kInf, 0.f});
  auto r = values(x + 1.0);
  EXPECT_EQ(r[0], kInf);
  EXPECT_EQ(r[1], -kInf);
  EXPECT_TRUE(std::isnan(values(x * 0.0)[0]));  // inf * 0
  EXPECT_EQ(values(tl::log(vec({0.f})))[0], -kInf);
  EXPECT_TRUE(std::isnan(values(tl::sqrt(vec({-1.f})))[0]));
  EXPECT_EQ(values(tl::relu(x))[0], kInf);
  EXPECT_EQ(values(tl::relu(x))[1], 0.f);
  EXPECT_EQ(values(tl::exp(vec({-kInf})))[0], 0.f);
  EXPECT_EQ(tl::max(x).item<float>(), kInf);
  EXPECT_EQ(values(vec({1.f}) / vec({0.f}))[0], kInf);
  // A softmax over large finite logits stays finite (the max is subtracted first).
  auto s = values(tl::softmax(tl::tensor::from_vector(std::vector<float>{1e30f, 0.f}, {1, 2})));
  EXPECT_FLOAT_EQ(s[0], 1.f);
  EXPECT_FLOAT_EQ(s[1], 0.f);
}

TEST(SpecialValues, CastsOfNonFiniteFloatsToIntegersSaturate) {
  // Found by tests/fuzz/fuzz_ops: the plain conversion was undefined behaviour.
  auto r = tl::cast(vec({kNan, kInf, -kInf, 1e30f, -2.5f}), tl::dtype::int64).to_vector<std::int64_t>();
  EXPECT_EQ(r, (std::vector<std::int64_t>{0, std::numeric_limits<std::int64_t>::max(),
                                          std::numeric_limits<std::int64_t>::min(),
                                          std::numeric_limits<std::int64_t>::max(), -2}));
}

TEST(SpecialValues, Int64ArithmeticWrapsAround) {
  // Found by tests/fuzz/fuzz_ops: signed overflow was undefined behaviour.
  constexpr auto lo = std::numeric_limits<std::int64_t>::min();
  constexpr auto hi = std::numeric_limits<std::int64_t>::max();
  auto big = tl::tensor::from_vector(std::vector<std::int64_t>{hi, lo}, {2});
  auto one = tl::ones({2}, tl::dtype::int64);
  EXPECT_EQ((big + one).to_vector<std::int64_t>(), (std::vector<std::int64_t>{lo, lo + 1}));
  EXPECT_EQ((big - one).to_vector<std::int64_t>(), (std::vector<std::int64_t>{hi - 1, hi}));
  EXPECT_EQ(tl::neg(big).to_vector<std::int64_t>()[1], lo);
  EXPECT_EQ(tl::abs(big).to_vector<std::int64_t>()[1], lo);
  EXPECT_EQ((big / tl::fill({2}, -1, tl::dtype::int64)).to_vector<std::int64_t>()[1], lo);
  EXPECT_EQ(tl::sum(big).item<std::int64_t>(), -1);
  EXPECT_EQ(tl::fill({1}, 1e30, tl::dtype::int64).item<std::int64_t>(), hi);
}

TEST(SpecialValues, EmptyTensorsFlowThroughEveryKindOfOp) {
  auto e = tl::zeros({0, 3});
  EXPECT_EQ((e + 1.0).shape(), (tl::shape_t{0, 3}));
  EXPECT_EQ(tl::relu(e * 2.0 - 1.0).shape(), (tl::shape_t{0, 3}));
  EXPECT_EQ((e + tl::ones({3})).shape(), (tl::shape_t{0, 3}));  // broadcasting with an empty side
  EXPECT_EQ(tl::matmul(e, tl::ones({3, 4})).shape(), (tl::shape_t{0, 4}));
  auto inner_empty = tl::matmul(tl::ones({2, 0}), tl::ones({0, 3}));
  EXPECT_EQ(inner_empty.shape(), (tl::shape_t{2, 3}));
  for (float v : values(inner_empty)) EXPECT_EQ(v, 0.f);  // a sum over nothing
  EXPECT_EQ(tl::sum(e).item<float>(), 0.f);
  EXPECT_EQ(tl::sum(e, {0}).shape(), (tl::shape_t{3}));
  for (float v : values(tl::sum(e, {0}))) EXPECT_EQ(v, 0.f);
  EXPECT_EQ(tl::sum(e, {1}).shape(), (tl::shape_t{0}));
  EXPECT_TRUE(std::isnan(tl::mean(e).item<float>()));
  EXPECT_EQ(tl::max(e).item<float>(), -kInf);
  EXPECT_EQ(tl::reshape(e, {3, 0}).shape(), (tl::shape_t{3, 0}));
  EXPECT_EQ(tl::reshape(e, {-1, 3}).shape(), (tl::shape_t{0, 3}));
  EXPECT_EQ(tl::transpose(e).shape(), (tl::shape_t{3, 0}));
  EXPECT_EQ(tl::concat({e, tl::ones({2, 3})}, 0).shape(), (tl::shape_t{2, 3}));
  EXPECT_EQ(tl::softmax(e).shape(), (tl::shape_t{0, 3}));
  EXPECT_EQ(tl::slice(tl::ones({4}), {2}, {0}).shape(), (tl::shape_t{0}));
  EXPECT_THROW(tl::argmax(tl::zeros({2, 0}), 1), tl::error);  // no element to point at
  EXPECT_THROW(tl::reshape(e, {-1, 0}), tl::error);           // -1 is ambiguous with a zero
}

// Shapes whose element or byte count does not fit 64 bits are errors that name the op, never a
// wrapped count (a 2^32 x 2^32 tensor of 0 elements) or a kernel writing past a short allocation.
TEST(SpecialValues, ShapesBeyondSixtyFourBitsAreErrorsNotWrappedCounts) {
  constexpr std::int64_t kHuge = std::int64_t{1} << 62;
  constexpr std::int64_t k32 = std::int64_t{1} << 32;
  auto expect_error_naming = [](auto make, const char* op) {
    try {
      make();
      ADD_FAILURE() << op << " did not throw";
    } catch (const tl::error& e) {
      EXPECT_NE(std::string(e.what()).find(op), std::string::npos) << e.what();
    }
  };
  expect_error_naming([&] { return tl::zeros({kHuge}); }, "tl::fill");
  expect_error_naming([&] { return tl::ones({3, kHuge, 4}); }, "tl::fill");
  expect_error_naming([&] { return tl::zeros({k32, k32}); }, "tl::fill");
  expect_error_naming([&] { return tl::arange(0, kHuge); }, "tl::arange");
  expect_error_naming(
      [&] { return tl::arange(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()); },
      "tl::arange");
  expect_error_naming([&] { return tl::random_normal({k32, k32}, 1); }, "tl::random_normal");
  expect_error_naming([&] { return tl::reshape(tl::ones({2}), {k32, k32, -1}); }, "tl::reshape");
  expect_error_naming([&] { return tl::broadcast_to(tl::ones({1, 1}), {k32, k32}); }, "tl::broadcast_to");
  // Under a trace the same rule runs when the op is recorded.
  auto traced = tl::function([&](const tl::tensor& x) { return x + tl::zeros({kHuge}); });
  expect_error_naming([&] { return traced(tl::ones({1})); }, "tl::fill");
  EXPECT_THROW(tl::num_elements({k32, k32}), tl::error);
  EXPECT_EQ(tl::num_elements({k32, k32, 0}), 0);  // a zero dimension empties any shape
  EXPECT_EQ(tl::num_elements({k32, -1}), -1);
  // The largest counts that still fit are planned, not refused by shape rules (allocation decides).
  EXPECT_THROW(tl::zeros({std::int64_t{1} << 50}), tl::error);
}

// Bounds whose sum does not fit 64 bits: `begin + size` wrapped negative and the slice read memory
// before the buffer; concatenated dimensions of empty tensors wrapped to a negative dimension.
TEST(SpecialValues, SliceAndConcatBoundsThatOverflowAreErrorsNotWrappedSums) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  auto expect_error_naming = [](auto make, const char* op) {
    try {
      auto t = make();
      ADD_FAILURE() << op << " did not throw; shape " << tl::shape_string(t.shape());
    } catch (const tl::error& e) {
      EXPECT_NE(std::string(e.what()).find(op), std::string::npos) << e.what();
    }
  };
  expect_error_naming([&] { return tl::slice(tl::ones({4}), {kMax}, {1}); }, "tl::slice");
  expect_error_naming([&] { return tl::slice(tl::ones({4}), {kMax - 1}, {-1}); }, "tl::slice");
  expect_error_naming([&] { return tl::slice(tl::zeros({0, 4}), {0, kMax}, {0, kMax}); }, "tl::slice");
  auto empty = tl::zeros({0, kMax / 2 + 1});
  expect_error_naming([&] { return tl::concat({empty, empty}, 1); }, "tl::concat");
  expect_error_naming([&] { return tl::concat({tl::zeros({0, kMax}), tl::zeros({0, 1})}, 1); }, "tl::concat");
  auto traced = tl::function([&](const tl::tensor& x) { return tl::slice(x, {kMax}, {1}); });
  expect_error_naming([&] { return traced(tl::ones({4})); }, "tl::slice");
}

TEST(SpecialValues, EmptyTensorsThroughATracedFunctionAndItsGradient) {
  tl::variable w(tl::ones({3, 2}));
  auto step = tl::function([&](const tl::tensor& x) {
    tl::gradient_tape tape;
    auto loss = tl::sum(tl::relu(tl::matmul(x, w)));
    auto g = tape.gradient(loss, std::vector<tl::variable>{w});
    return g[0];
  });
  auto g = step(tl::zeros({0, 3}));
  EXPECT_EQ(g.shape(), (tl::shape_t{3, 2}));
  for (float v : values(g)) EXPECT_EQ(v, 0.f);
  EXPECT_EQ(step(tl::ones({2, 3})).shape(), (tl::shape_t{3, 2}));  // a new signature retraces fine
}

}  // namespace

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif

TEST(Storage, LargeBlocksAreReusedInsteadOfFreshPages) {
  if (kAsan) GTEST_SKIP() << "AddressSanitizer builds bypass the block cache to keep use-after-free detectable";
  const void* first = nullptr;
  {
    auto t = tl::ones({256, 256});
    first = t.raw_data();
  }
  auto again = tl::ones({256, 256});
  EXPECT_EQ(again.raw_data(), first);
  // A block that is still in use is never handed out twice, and small blocks go straight to malloc.
  auto other = tl::ones({256, 256});
  EXPECT_NE(other.raw_data(), again.raw_data());
  for (float v : again.to_vector<float>()) ASSERT_EQ(v, 1.f);
}

}  // namespace
