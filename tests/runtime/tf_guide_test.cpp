// The tf.function guide (tensorflow.org/guide/function) as an oracle: its examples ported to tl, each
// asserting what the guide prints or what tf.function's semantics determine (values, tracing counts,
// when host code runs). Where tl differs on purpose, docs/runtime.md ("Differences from tf.function")
// says so; those cases are not here.
#include <gtest/gtest.h>
#include <tl/testing.h>
#include <tl/tl.h>

#include <functional>
#include <string>
#include <vector>

namespace {

tl::tensor vec(std::vector<float> v, tl::shape_t s) { return tl::tensor::from_vector<float>(v, std::move(s)); }
std::vector<float> values(const tl::tensor& t) { return t.to_vector<float>(); }

// Host output and graph output (tl::print) in the order they happened.
class GuideOutput {
 public:
  GuideOutput() { ::testing::internal::CaptureStdout(); }
  std::string lines() { return ::testing::internal::GetCapturedStdout(); }
};

// Runs `check` on the traced function, then again with every function run eagerly: the values a
// function returns are the same either way (host side effects are not, and are tested apart).
void traced_and_eager(const std::function<void()>& check) {
  check();
  tl::run_functions_eagerly(true);
  check();
  tl::run_functions_eagerly(false);
}

// "Basics": a Function gives the same result as the code it wraps; nested Functions too.
TEST(TfGuide, UsageAddAndDenseLayer) {
  auto add = tl::function([](const tl::tensor& a, const tl::tensor& b) { return a + b; });
  auto dense_layer = tl::function(
      [&](const tl::tensor& x, const tl::tensor& w, const tl::tensor& b) { return add(tl::matmul(x, w), b); });
  traced_and_eager([&] {
    EXPECT_EQ(values(add(tl::ones({2, 2}), tl::ones({2, 2}))), (std::vector<float>{2, 2, 2, 2}));
    EXPECT_EQ(values(dense_layer(tl::ones({3, 2}), tl::ones({2, 2}), tl::ones({2}))), (std::vector<float>(6, 3.f)));
  });
}

// "Tracing": a new dtype is a new trace; the same dtype again is not.
TEST(TfGuide, TracingOncePerInputSignature) {
  int traces = 0;
  auto double_it = tl::function([&](const tl::tensor& a) {
    ++traces;
    return a + a;
  });
  EXPECT_EQ(double_it(tl::tensor::from_vector<std::int32_t>({1}, {})).item<std::int32_t>(), 2);
  EXPECT_FLOAT_EQ(double_it(vec({1.1f}, {})).item<float>(), 2.2f);
  EXPECT_EQ(double_it(tl::tensor::from_vector<std::int32_t>({3}, {})).item<std::int32_t>(), 6);
  EXPECT_EQ(traces, 2);
  EXPECT_EQ(double_it.tracing_count(), 2);
}

// "Rules of tracing" / "Executing Python side effects": f(1); f(1); f(2) prints
// Traced with 1, Executed with 1, Executed with 1, Traced with 2, Executed with 2.
TEST(TfGuide, HostSideEffectsRunOnlyWhileTracing) {
  auto f = tl::function([](int x) {
    std::printf("Traced with %d\n", x);
    std::fflush(stdout);
    tl::print(tl::constant(x), "Executed with");
  });
  GuideOutput out;
  f(1);
  f(1);
  f(2);
  EXPECT_EQ(out.lines(), "Traced with 1\nExecuted with: 1\nExecuted with: 1\nTraced with 2\nExecuted with: 2\n");
}

// "Pass tensors instead of python literals": a host number per call retraces per value; a tensor
// of the same shape traces once.
TEST(TfGuide, NumbersRetraceTensorsDoNot) {
  int traces = 0;
  auto train = tl::function([&](int num_steps) {
    ++traces;
    tl::print(tl::constant(num_steps), "Executing with num_steps");
  });
  auto train_t = tl::function([&](const tl::tensor& num_steps) {
    ++traces;
    tl::print(num_steps, "Executing with num_steps");
  });
  GuideOutput out;
  train(10);
  train(20);
  EXPECT_EQ(traces, 2);
  train_t(tl::tensor::from_vector<std::int32_t>({10}, {}));
  train_t(tl::tensor::from_vector<std::int32_t>({20}, {}));
  EXPECT_EQ(traces, 3);
  EXPECT_EQ(out.lines(),
            "Executing with num_steps: 10\nExecuting with num_steps: 20\n"
            "Executing with num_steps: 10\nExecuting with num_steps: 20\n");
}

// "Controlling retracing": input_signature makes one trace serve every length, and rejects a call
// that does not match it (rank or dtype).
TEST(TfGuide, InputSignatureServesEveryLengthAndRejectsTheRest) {
  auto next_collatz = tl::function(
      [](const tl::tensor& x) {
        auto half = x / tl::constant(2, tl::dtype::int32);
        auto even = tl::equal(half * tl::constant(2, tl::dtype::int32), x);
        return tl::where(even, half, x * tl::constant(3, tl::dtype::int32) + tl::constant(1, tl::dtype::int32));
      },
      {.input_signature = std::vector<tl::tensor_spec>{{{-1}, tl::dtype::int32}}});
  EXPECT_EQ(next_collatz(tl::tensor::from_vector<std::int32_t>({1}, {1})).to_vector<std::int32_t>(),
            (std::vector<std::int32_t>{4}));
  EXPECT_EQ(next_collatz(tl::tensor::from_vector<std::int32_t>({1, 2}, {2})).to_vector<std::int32_t>(),
            (std::vector<std::int32_t>{4, 1}));
  EXPECT_THROW(next_collatz(tl::tensor::from_vector<std::int32_t>({1, 2, 3, 4}, {2, 2})), tl::error);
  EXPECT_THROW(next_collatz(vec({1, 2}, {2})), tl::error);
  EXPECT_EQ(next_collatz.tracing_count(), 1);
}

// "reduce_retracing": lengths 3, 5, 7, 9 trace twice (3, then unknown), then never again.
TEST(TfGuide, ReduceRetracingGeneralizesAfterOneChange) {
  std::vector<std::string> traced;
  auto g = tl::function(
      [&](const tl::tensor& x) {
        traced.push_back(tl::shape_string(x.shape()));
        return x;
      },
      {.reduce_retracing = true});
  for (int n : {3, 5, 7, 9}) g(tl::ones({n}));
  EXPECT_EQ(traced, (std::vector<std::string>{"[3]", "[?]"}));
}

// "Changing Python global and free variables": the append happens once, not per call.
TEST(TfGuide, AppendToAnExternalListHappensOnce) {
  std::vector<float> external_list;
  auto side_effect = tl::function([&](const tl::tensor& x) {
    external_list.push_back(1.f);
    return x;
  });
  tl::scoped_check_mode quiet(tl::check_mode::off);
  for (int i = 0; i < 3; ++i) side_effect(tl::ones({1}));
  EXPECT_EQ(external_list.size(), 1u);
}

// "Using Python iterators and generators": the iterator is advanced while tracing only, so every
// call prints the first value.
TEST(TfGuide, HostIteratorIsConsumedOnceAndItsValueFrozen) {
  std::vector<double> data{1, 2, 3};
  auto it = data.begin();
  auto buggy_consume_next = tl::function([&](int) { tl::print(tl::constant(*it++), "Value"); });
  tl::scoped_check_mode quiet(tl::check_mode::off);
  GuideOutput out;
  for (int i = 0; i < 3; ++i) buggy_consume_next(0);
  EXPECT_EQ(out.lines(), "Value: 1\nValue: 1\nValue: 1\n");
  EXPECT_EQ(it - data.begin(), 1);
}

// "Depending on Python global and free variables": buggy_add keeps the traced value of foo; the
// variable-based version sees the update. The runtime observes the stale host value.
TEST(TfGuide, GlobalValueIsBakedVariableIsRead) {
  double foo = 1;
  tl::variable foo_v(tl::constant(1.0));
  auto buggy_add = tl::function([&] { return tl::constant(1.0) + tl::constant(foo); });
  auto recommended_add = tl::function([&] { return tl::constant(1.0) + foo_v.value(); });
  EXPECT_EQ(buggy_add().item<float>(), 2.f);
  EXPECT_EQ(recommended_add().item<float>(), 2.f);
  foo = 100;
  foo_v.assign(tl::constant(100.0));
  TL_EXPECT_HAZARD(EXPECT_EQ(buggy_add().item<float>(), 2.f), "trace-stale-capture");
  EXPECT_EQ(recommended_add().item<float>(), 101.f);
}

// "Depending on Python objects": the same object is the same cache key, so a changed attribute is
// not seen; a new object retraces.
TEST(TfGuide, ChangedObjectAttributeIsNotSeenNewObjectRetraces) {
  struct simple_model {
    double weight = 2, bias = 0;
  };
  auto evaluate =
      tl::function([](const simple_model& model, const tl::tensor& x) { return x * model.weight + model.bias; });
  simple_model model;
  auto x = vec({10}, {});
  EXPECT_EQ(evaluate(model, x).item<float>(), 20.f);
  model.bias += 5;
  {
    tl::scoped_check_mode quiet(tl::check_mode::off);
    EXPECT_EQ(evaluate(model, x).item<float>(), 20.f);
  }
  simple_model new_model;
  new_model.bias = 5;
  EXPECT_EQ(evaluate(new_model, x).item<float>(), 25.f);
  EXPECT_EQ(evaluate.tracing_count(), 2);
}

// "Creating tf.Variables": a variable created on the first call only (the Count module) counts up.
TEST(TfGuide, CreateOnceCounter) {
  tl::variable count;
  auto call = tl::function([&] {
    if (!count.defined()) count = tl::variable(tl::zeros({}), "count", false);
    count.assign_add(tl::ones({}));
    return count.value();
  });
  TL_EXPECT_NO_HAZARD({
    EXPECT_EQ(call().item<float>(), 1.f);
    EXPECT_EQ(call().item<float>(), 2.f);
  });
  EXPECT_EQ(call.tracing_count(), 1);
}

// "Debugging" / run_functions_eagerly: the host print runs once traced, on every call eagerly.
TEST(TfGuide, RunFunctionsEagerlyRunsHostCodeEveryCall) {
  auto y_true = tl::tensor::from_vector<float>({5, 2, 0, 7, 1}, {5});
  auto y_pred = tl::tensor::from_vector<float>({2, 9, 1, 4, 6}, {5});
  auto get_mse = tl::function([](const tl::tensor& t, const tl::tensor& p) {
    std::printf("Calculating MSE!\n");
    std::fflush(stdout);
    return tl::mean(tl::square(t - p));
  });
  auto count = [](const std::string& s) {
    std::size_t n = 0;
    for (auto p = s.find("Calculating MSE!"); p != std::string::npos; p = s.find("Calculating MSE!", p + 1)) ++n;
    return n;
  };
  {
    GuideOutput out;
    for (int i = 0; i < 3; ++i) EXPECT_FLOAT_EQ(get_mse(y_true, y_pred).item<float>(), 18.6f);
    EXPECT_EQ(count(out.lines()), 1u);
  }
  {
    tl::run_functions_eagerly(true);
    GuideOutput out;
    for (int i = 0; i < 3; ++i) EXPECT_FLOAT_EQ(get_mse(y_true, y_pred).item<float>(), 18.6f);
    tl::run_functions_eagerly(false);
    EXPECT_EQ(count(out.lines()), 3u);
  }
}

// "Loops": a host loop over a fixed range is unrolled into the graph while tracing.
TEST(TfGuide, HostLoopIsUnrolledAtTraceTime) {
  int iterations = 0;
  auto f = tl::function([&](const tl::tensor& x) {
    auto y = x;
    for (int i = 0; i < 3; ++i) {
      ++iterations;
      y = y * 2.0;
    }
    return y;
  });
  traced_and_eager([&] { EXPECT_EQ(f(vec({1, 2}, {2})).to_vector<float>(), (std::vector<float>{8, 16})); });
  EXPECT_EQ(iterations, 3 + 3);  // one trace, then one eager run
}

// "Variables": reads and updates of a variable happen on every call of the graph.
TEST(TfGuide, VariableUpdatedOnEveryCall) {
  tl::variable v(tl::constant(1.0));
  auto plus = tl::function([&](const tl::tensor& x) {
    v.assign_add(x);
    return v.value();
  });
  std::vector<float> seen;
  for (int i = 0; i < 3; ++i) seen.push_back(plus(tl::constant(1.0)).item<float>());
  EXPECT_EQ(seen, (std::vector<float>{2, 3, 4}));
}

// "Using tf.function with gradients": a traced call is differentiable like any op.
TEST(TfGuide, GradientThroughATracedAdd) {
  tl::variable v(tl::ones({2, 2}));
  auto add = tl::function([](const tl::tensor& a, const tl::tensor& b) { return a + b; });
  traced_and_eager([&] {
    tl::gradient_tape tape;
    auto result = tl::sum(add(v.value(), tl::ones({2, 2})));
    EXPECT_EQ(values(tape.gradient(result, std::vector<tl::variable>{v})[0]), (std::vector<float>{1, 1, 1, 1}));
  });
}

}  // namespace
