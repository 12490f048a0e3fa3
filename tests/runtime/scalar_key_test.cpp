// Host scalars are part of a tl::function's cache key (docs/runtime.md): a call with the same value
// replays, another value retraces. "The same" is the same bits, with every NaN one value.
#include <gtest/gtest.h>
#include <tl/tl.h>

#include <cmath>
#include <limits>

namespace {

tl::function<tl::tensor (*)(const tl::tensor&, double)> scaled(const char* name) {
  return tl::function(+[](const tl::tensor& x, double s) { return x * s; }, {.name = name});
}

TEST(ScalarKey, ANanArgumentReplaysItsTraceInsteadOfRetracingOnEveryCall) {
  tl::scoped_check_mode mode(tl::check_mode::off);
  auto f = scaled("nan_scale");
  const double quiet = std::numeric_limits<double>::quiet_NaN();
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(std::isnan(f(tl::ones({1}), quiet).item<float>()));
  EXPECT_TRUE(std::isnan(f(tl::ones({1}), -quiet).item<float>()));  // another NaN bit pattern, one key
  EXPECT_EQ(f.tracing_count(), 1);
  EXPECT_EQ(f.cached_signatures().size(), 1u);
}

TEST(ScalarKey, NegativeZeroIsNotServedPositiveZerosTrace) {
  tl::scoped_check_mode mode(tl::check_mode::off);
  auto f = scaled("signed_zero_scale");
  EXPECT_FALSE(std::signbit(f(tl::ones({1}), 0.0).item<float>()));
  EXPECT_TRUE(std::signbit(f(tl::ones({1}), -0.0).item<float>()));
  EXPECT_EQ(f.tracing_count(), 2);
  EXPECT_FALSE(std::signbit(f(tl::ones({1}), 0.0).item<float>()));
  EXPECT_EQ(f.tracing_count(), 2);
}

}  // namespace
