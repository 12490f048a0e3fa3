// Random ops with TensorFlow's semantics: a seed fixes a sequence, each execution draws its next
// values (eager calls and graph replays alike), generators are state handles, stateless ops repeat.
#include <gtest/gtest.h>
#include <tl/tl.h>

#include <cmath>
#include <vector>

namespace {

std::vector<float> values(const tl::tensor& t) { return t.to_vector<float>(); }

TEST(Random, SeededOpInsideATracedFunctionDrawsNewValuesOnEveryCall) {
  auto noisy = tl::function([](const tl::tensor& x) { return x + tl::random_normal(x.shape(), 42); });
  auto x = tl::zeros({4});
  auto first = values(noisy(x)), second = values(noisy(x)), third = values(noisy(x));
  EXPECT_NE(first, second);
  EXPECT_NE(second, third);
  EXPECT_EQ(noisy.tracing_count(), 1);
  // Reproducible from the seed: a second function with the same seed draws the same sequence.
  auto again = tl::function([](const tl::tensor& x) { return x + tl::random_normal(x.shape(), 42); });
  EXPECT_EQ(values(again(x)), first);
  EXPECT_EQ(values(again(x)), second);
}

TEST(Random, TwoOpsWithOneSeedInOneGraphAgreeWithinACall) {
  // TF: each op in a graph has its own kernel (and counter) started from the seed: (A1, A1), (A2, A2).
  auto pair = tl::function([](const tl::tensor& x) {
    return std::pair{tl::random_uniform(x.shape(), 7), tl::random_uniform(x.shape(), 7)};
  });
  auto x = tl::zeros({3});
  auto [a1, b1] = pair(x);
  auto [a2, b2] = pair(x);
  EXPECT_EQ(values(a1), values(b1));
  EXPECT_EQ(values(a2), values(b2));
  EXPECT_NE(values(a1), values(a2));
}

TEST(Random, EagerCallsWithOneSeedContinueItsSequence) {
  auto a = values(tl::random_uniform({5}, 12345));
  auto b = values(tl::random_uniform({5}, 12345));
  EXPECT_NE(a, b);
}

TEST(Random, SmallRandomTensorsAreNotFoldedIntoConstants) {
  // Below the folding size limit a pure source would become a constant of the graph.
  auto f = tl::function([](const tl::tensor& x) { return x * tl::random_uniform({1}, 3); });
  auto x = tl::ones({1});
  EXPECT_NE(f(x).item<float>(), f(x).item<float>());
}

TEST(Random, AnUnusedDrawStillAdvancesTheSequence) {
  tl::random_generator gen(5);
  auto f = tl::function([&](const tl::tensor& x) {
    (void)gen.normal({2});  // dead code for the graph, a draw for the generator
    return x;
  });
  f(tl::ones({1}));
  f(tl::ones({1}));
  EXPECT_EQ(gen.draws(), 2u);
}

TEST(Random, GeneratorIsAStateHandleAdvancedByEagerAndReplayedDraws) {
  tl::random_generator gen(2024), twin(2024);
  auto step = tl::function([&](const tl::tensor& x) { return x + gen.normal(x.shape()); });
  auto x = tl::zeros({6});
  auto s1 = values(step(x));
  auto s2 = values(step(x));
  auto eager = values(gen.normal({6}));
  auto s3 = values(step(x));
  EXPECT_EQ(gen.draws(), 4u);
  // The same sequence, drawn eagerly from a generator with the same seed.
  EXPECT_EQ(values(twin.normal({6})), s1);
  EXPECT_EQ(values(twin.normal({6})), s2);
  EXPECT_EQ(values(twin.normal({6})), eager);
  EXPECT_EQ(values(twin.normal({6})), s3);
  EXPECT_EQ(step.tracing_count(), 1);
  auto copy = gen;  // a handle: copies share the state
  copy.uniform({1});
  EXPECT_EQ(gen.draws(), 5u);
}

TEST(Random, StatelessOpsGiveTheSameValuesEveryCall) {
  auto f = tl::function([](const tl::tensor& x) { return x + tl::stateless_normal(x.shape(), 9); });
  auto x = tl::zeros({4});
  auto first = values(f(x));
  EXPECT_EQ(values(f(x)), first);
  EXPECT_EQ(values(tl::stateless_normal({4}, 9)), first);
  EXPECT_EQ(values(tl::stateless_normal({4}, 9)), first);
  EXPECT_NE(values(tl::stateless_normal({4}, 10)), first);
  EXPECT_EQ(values(tl::stateless_uniform({3}, 1, 2.f, 3.f)), values(tl::stateless_uniform({3}, 1, 2.f, 3.f)));
}

TEST(Random, DistributionsHaveTheirMomentsAndRanges) {
  constexpr std::int64_t n = 200000;  // above the parallel threshold: the fill is split over threads
  auto z = values(tl::stateless_normal({n}, 1, 2.f, 3.f));
  double mean = 0, var = 0;
  for (float v : z) mean += v;
  mean /= n;
  for (float v : z) var += (v - mean) * (v - mean);
  var /= n;
  EXPECT_NEAR(mean, 2.0, 0.05);
  EXPECT_NEAR(std::sqrt(var), 3.0, 0.05);
  auto u = values(tl::stateless_uniform({n}, 2, -1.f, 1.f));
  double umean = 0;
  for (float v : u) {
    ASSERT_GE(v, -1.f);
    ASSERT_LT(v, 1.f);
    umean += v;
  }
  EXPECT_NEAR(umean / n, 0.0, 0.01);
}

TEST(Random, VariableInitializedFromARandomOpInsideTheFirstTrace) {
  tl::variable w;
  auto f = tl::function([&](const tl::tensor& x) {
    if (!w.defined()) w = tl::variable(tl::random_normal({2}, 11), "w");
    return x * w;
  });
  auto a = values(f(tl::ones({2})));
  auto b = values(f(tl::ones({2})));
  EXPECT_EQ(a, b);  // the initializer ran once; the variable holds its value
  EXPECT_EQ(a, values(tl::stateless_normal({2}, 11)));
}

}  // namespace
