#include <gtest/gtest.h>
#include <tl/checks.h>
#include <tl/tl.h>

#include <atomic>
#include <iostream>
#include <optional>
#include <set>
#include <thread>

namespace {

int g_trace_counter = 0;

tl::tensor vec(std::vector<float> v, tl::shape_t s) { return tl::tensor::from_vector<float>(v, std::move(s)); }

TEST(Function, CacheHitReplaysWithoutTracing) {
  int host_calls = 0;
  auto f = tl::function([&](const tl::tensor& x) {
    ++host_calls;
    return x * 2.0 + 1.0;
  });
  EXPECT_EQ(f(vec({1, 2}, {2})).to_vector<float>(), (std::vector<float>{3, 5}));
  EXPECT_EQ(f(vec({5, 6}, {2})).to_vector<float>(), (std::vector<float>{11, 13}));
  EXPECT_EQ(host_calls, 1);
  EXPECT_EQ(f.tracing_count(), 1);
}

TEST(Function, RetracesOnShapeDtypeAndHostScalar) {
  auto f = tl::function([](const tl::tensor& x, int k) { return x * static_cast<double>(k); });
  f(vec({1, 2}, {2}), 3);
  f(vec({1, 2}, {2}), 3);
  EXPECT_EQ(f.tracing_count(), 1);
  f(vec({1, 2, 3}, {3}), 3);  // new shape
  EXPECT_EQ(f.tracing_count(), 2);
  EXPECT_EQ(f(vec({1, 2}, {2}), 4).to_vector<float>(), (std::vector<float>{4, 8}));  // new host value
  EXPECT_EQ(f.tracing_count(), 3);
  auto ints = f(tl::tensor::from_vector<std::int32_t>({1, 2}, {2}), 3);  // new dtype
  EXPECT_EQ(ints.to_vector<std::int32_t>(), (std::vector<std::int32_t>{3, 6}));
  EXPECT_EQ(f.tracing_count(), 4);
}

TEST(Function, InputSignatureServesAllBatchSizesAndRejectsMismatch) {
  auto f =
      tl::function([](const tl::tensor& x) { return tl::sum(x, {1}); },
                   {.name = "rows", .input_signature = std::vector<tl::tensor_spec>{{{-1, 2}, tl::dtype::float32}}});
  EXPECT_EQ(f(vec({1, 2, 3, 4}, {2, 2})).to_vector<float>(), (std::vector<float>{3, 7}));
  EXPECT_EQ(f(vec({1, 2, 3, 4, 5, 6}, {3, 2})).to_vector<float>(), (std::vector<float>{3, 7, 11}));
  EXPECT_EQ(f.tracing_count(), 1);
  try {
    f(vec({1, 2, 3}, {1, 3}));
    FAIL();
  } catch (const tl::error& e) {
    EXPECT_NE(std::string(e.what()).find("input_signature"), std::string::npos);
  }
}

TEST(Function, ReduceRetracingGeneralizesChangedDimensions) {
  auto f = tl::function([](const tl::tensor& x) { return tl::mean(x); }, {.reduce_retracing = true});
  f(tl::ones({2, 3}));
  f(tl::ones({4, 3}));
  f(tl::ones({5, 3}));
  f(tl::ones({7, 3}));
  EXPECT_EQ(f.tracing_count(), 2);
  auto sigs = f.cached_signatures();
  ASSERT_EQ(sigs.size(), 2u);
  EXPECT_EQ(sigs[1], "(float32[?, 3])");
}

// Elementwise chains are fused into one pass (and run in parallel above the threshold): the result
// must match eager execution op by op, for sizes on both sides of the parallel threshold and with
// scalar operands and ragged last blocks.
TEST(Function, FusedElementwiseChainMatchesEager) {
  auto chain = [](const tl::tensor& x, const tl::tensor& y) {
    auto a = tl::sigmoid(x * 2.0 + 1.0);
    auto b = tl::tanh(a - y) * tl::exp(-tl::square(x));
    return tl::relu(b / (tl::abs(y) + 1.0)) + tl::maximum(x, y) - tl::minimum(x, y);
  };
  auto traced = tl::function(chain);
  for (std::int64_t n : {7, 1000, 100003}) {
    auto x = tl::random_normal({n}, 11);
    auto y = tl::random_normal({n}, 12);
    auto want = chain(x, y).to_vector<float>();
    auto got = traced(x, y).to_vector<float>();
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) ASSERT_NEAR(got[i], want[i], 1e-5f) << "n=" << n << " i=" << i;
  }
}

TEST(Function, ResultsStayValidAcrossReplays) {
  auto f = tl::function([](const tl::tensor& x) {
    auto y = x * 2.0;
    return std::vector<tl::tensor>{y, y, x + 1.0};  // one node returned twice
  });
  auto first = f(vec({1, 2}, {2}));
  auto second = f(vec({5, 6}, {2}));  // must not overwrite the results still held in `first`
  EXPECT_EQ(first[0].to_vector<float>(), (std::vector<float>{2, 4}));
  EXPECT_EQ(first[1].to_vector<float>(), (std::vector<float>{2, 4}));
  EXPECT_EQ(first[2].to_vector<float>(), (std::vector<float>{2, 3}));
  EXPECT_EQ(second[1].to_vector<float>(), (std::vector<float>{10, 12}));
  first.clear();
  auto third = f(vec({7, 8}, {2}));  // reuses the released storage
  EXPECT_EQ(third[0].to_vector<float>(), (std::vector<float>{14, 16}));
  EXPECT_EQ(second[0].to_vector<float>(), (std::vector<float>{10, 12}));
}

TEST(Function, ConstantFoldingAndDeadNodesKeepSemantics) {
  int host_calls = 0;
  auto f = tl::function([&](const tl::tensor& x) {
    ++host_calls;
    auto folded = tl::exp(tl::constant(0.0)) * 3.0;                    // all-constant: folded at trace time
    auto unused = tl::matmul(tl::ones({64, 64}), tl::ones({64, 64}));  // dead: never computed on replay
    (void)unused;
    return x * folded;
  });
  EXPECT_EQ(f(vec({1, 2}, {2})).to_vector<float>(), (std::vector<float>{3, 6}));
  EXPECT_EQ(f(vec({2, 3}, {2})).to_vector<float>(), (std::vector<float>{6, 9}));
  EXPECT_EQ(host_calls, 1);
}

TEST(Function, NestedFunctionsAreInlined) {
  auto inner = tl::function([](const tl::tensor& x) { return x + 1.0; });
  auto outer = tl::function([&](const tl::tensor& x) { return inner(x) * 2.0; });
  EXPECT_EQ(outer(vec({1}, {1})).to_vector<float>(), (std::vector<float>{4}));
  EXPECT_EQ(outer(vec({2}, {1})).to_vector<float>(), (std::vector<float>{6}));
  EXPECT_EQ(outer.tracing_count(), 1);
}

TEST(Function, RunEagerlySwitches) {
  int calls = 0;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        ++calls;
        return x;
      },
      {.run_eagerly = true});
  f(vec({1}, {1}));
  f(vec({1}, {1}));
  EXPECT_EQ(calls, 2);
  int calls2 = 0;
  auto g = tl::function([&](const tl::tensor& x) {
    ++calls2;
    return x;
  });
  tl::run_functions_eagerly(true);
  g(vec({1}, {1}));
  g(vec({1}, {1}));
  tl::run_functions_eagerly(false);
  EXPECT_EQ(calls2, 2);
  EXPECT_EQ(g.tracing_count(), 0);
}

// Trace-time host semantics.
TEST(TraceSemantics, GlobalIncrementedOncePerTraceNotPerCall) {
  g_trace_counter = 0;
  auto f = tl::function([](const tl::tensor& x) {
    ++g_trace_counter;
    return x;
  });
  for (int i = 0; i < 5; ++i) f(vec({1}, {1}));
  EXPECT_EQ(g_trace_counter, 1);
  f(vec({1, 2}, {2}));
  EXPECT_EQ(g_trace_counter, 2);
}

TEST(TraceSemantics, HostValueIsBakedIn) {
  double lr = 0.1;
  auto f = tl::function([&](const tl::tensor& x) { return x * lr; });
  EXPECT_FLOAT_EQ(f(vec({1}, {1})).item<float>(), 0.1f);
  lr = 0.05;
  EXPECT_FLOAT_EQ(f(vec({1}, {1})).item<float>(), 0.1f);  // the graph still uses 0.1
}

TEST(TraceSemantics, TlPrintPrintsEveryCallHostPrintfOnlyWhileTracing) {
  testing::internal::CaptureStdout();
  auto f = tl::function([](const tl::tensor& x) {
    std::printf("host print\n");
    std::fflush(stdout);
    return tl::print(x, "graph print");
  });
  f(vec({1}, {1}));
  f(vec({1}, {1}));
  f(vec({1}, {1}));
  auto out = testing::internal::GetCapturedStdout();
  auto count = [&](const std::string& s) {
    std::size_t n = 0;
    for (auto p = out.find(s); p != std::string::npos; p = out.find(s, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("host print"), 1u);
  EXPECT_EQ(count("graph print: [1]"), 3u);
}

TEST(TraceSemantics, HostReadOfSymbolicTensorIsAnError) {
  auto f = tl::function([](const tl::tensor& x) {
    float v = x.item<float>();
    return x * static_cast<double>(v);
  });
  try {
    f(vec({1}, {1}));
    FAIL();
  } catch (const tl::error& e) {
    EXPECT_NE(std::string(e.what()).find("trace-host-read"), std::string::npos) << e.what();
  }
}

TEST(TraceSemantics, LeakedSymbolicTensorIsAnErrorAtUse) {
  tl::tensor leaked;
  auto f = tl::function([&](const tl::tensor& x) {
    leaked = x * 2.0;
    return x;
  });
  f(vec({1}, {1}));
  try {
    tl::add(leaked, leaked);
    FAIL();
  } catch (const tl::error& e) {
    EXPECT_NE(std::string(e.what()).find("trace-tensor-leak"), std::string::npos) << e.what();
  }
  // A host read of the leaked tensor is the same hazard at the line of the read (not trace-host-read).
  int read_line = __LINE__ + 2;
  try {
    (void)leaked.item<float>();
    FAIL();
  } catch (const tl::hazard_error& e) {
    EXPECT_EQ(e.observed().rule, "trace-tensor-leak") << e.what();
    EXPECT_NE(e.observed().location.find("function_test.cpp:" + std::to_string(read_line)), std::string::npos)
        << e.observed().location;
  }
}

TEST(TraceSemantics, TensorStoredOutsideTheTraceIsALeakWhenTheTraceEnds) {
  tl::scoped_check_mode warn(tl::check_mode::warn);
  tl::clear_observations();
  std::vector<tl::tensor> kept;
  int line = 0;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        line = __LINE__ + 1;
        kept.push_back(x * 3.0);
        return x;
      },
      {.name = "stores_tensor"});
  f(vec({1}, {1}));  // never used afterwards: still a leak, seen when the trace ends
  bool seen = false;
  for (const auto& o : tl::observations())
    if (o.rule == "trace-tensor-leak" && o.function == "stores_tensor") {
      seen = true;
      EXPECT_NE(o.location.find("function_test.cpp:" + std::to_string(line)), std::string::npos) << o.location;
    }
  EXPECT_TRUE(seen);
}

std::vector<tl::tensor> g_kept_tensors;
struct holder {
  tl::tensor field;
};
holder g_holder;

// Each place that keeps the tensor is a leak at the statement that stored it: the located write
// whose object holds the handle, directly (a member) or through a container's elements.
TEST(TraceSemantics, LeakIsPlacedWhereTheTensorWasStoredNotWhereItWasMade) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "statements of writes are located by write-protection, off under sanitizers";
#endif
  tl::scoped_check_mode warn(tl::check_mode::warn);
  tl::clear_observations();
  const int made = __LINE__ + 3;  // the lambda's first statement (the lambda opens on the next line)
  auto f = tl::function(
      [&](const tl::tensor& x) {
        auto t = x * 3.0;
        g_kept_tensors.push_back(t);
        g_holder.field = t;
        return x;
      },
      {.name = "stores_twice"});
  f(vec({1}, {1}));
  std::set<std::string> places;
  for (const auto& o : tl::observations())
    if (o.rule == "trace-tensor-leak" && o.function == "stores_twice") {
      places.insert(o.location.substr(o.location.rfind(':') + 1));
      EXPECT_NE(o.details.at("created_at").find(":" + std::to_string(made)), std::string::npos)
          << o.details.at("created_at");
    }
  EXPECT_EQ(places, (std::set<std::string>{std::to_string(made + 1), std::to_string(made + 2)}));
  g_kept_tensors.clear();
  g_holder.field = tl::tensor();
}

TEST(Variables, ReadsAndAssignmentsRunOnEveryCall) {
  tl::variable v(tl::constant(0.0));
  auto f = tl::function([&](const tl::tensor& x) {
    v.assign_add(x);
    return v.value();
  });
  for (int i = 0; i < 4; ++i) f(tl::constant(1.0));
  EXPECT_FLOAT_EQ(v.value().item<float>(), 4.f);
  v.assign_sub(tl::constant(1.5));  // eager update, seen by the next call
  EXPECT_FLOAT_EQ(f(tl::constant(1.0)).item<float>(), 3.5f);
  EXPECT_THROW(v.assign(tl::ones({2})), tl::error);
}

TEST(Variables, ReadBeforeAssignKeepsTheOldValue) {
  tl::variable v(tl::constant(1.0));
  auto f = tl::function([&]() {
    auto before = v.value();
    v.assign(tl::constant(10.0));
    return before + v.value();
  });
  EXPECT_FLOAT_EQ(f().item<float>(), 11.f);
  EXPECT_FLOAT_EQ(f().item<float>(), 20.f);
}

TEST(Variables, CreateOnceAllowedOnFirstTraceOnly) {
  tl::variable holder;
  auto f = tl::function([&](const tl::tensor& x) {
    if (!holder.defined()) holder = tl::variable(tl::zeros({1}));
    holder.assign_add(tl::reshape(tl::sum(x), {1}));
    return holder.value();
  });
  f(vec({1, 2}, {2}));
  EXPECT_FLOAT_EQ(f(vec({1, 2}, {2})).to_vector<float>()[0], 6.f);
  auto g = tl::function([&](const tl::tensor& x) {
    tl::variable fresh(tl::zeros({1}));  // every trace creates one
    return x + fresh.value();
  });
  g(vec({1}, {1}));
  try {
    g(vec({1, 2}, {2}));  // a retrace creates another: TF's rule says no
    FAIL();
  } catch (const tl::error& e) {
    EXPECT_NE(std::string(e.what()).find("trace-variable-creation"), std::string::npos) << e.what();
  }
}

// TF runs an initializer that depends on the function's inputs inside the graph, on its first run.
TEST(Variables, InitializedFromATracedValueOnTheGraphsFirstRun) {
  std::optional<tl::variable> v;
  auto f = tl::function([&](const tl::tensor& x) {
    if (!v) v.emplace(x * 2.0);
    v->assign_add(x);
    return v->value();
  });
  EXPECT_EQ(f(vec({1, 2}, {2})).to_vector<float>(), (std::vector<float>{3, 6}));
  EXPECT_EQ(f(vec({1, 1}, {2})).to_vector<float>(), (std::vector<float>{4, 7}));  // not initialized again
  EXPECT_EQ(v->value().to_vector<float>(), (std::vector<float>{4, 7}));
  EXPECT_EQ(f.tracing_count(), 1);
}

TEST(Variables, ReadEagerlyBeforeItsGraphRanIsAnError) {
  std::optional<tl::variable> v;
  auto f = tl::function([&](const tl::tensor& x) -> tl::tensor {
    if (!v) v.emplace(x + 1.0);
    throw std::runtime_error("the trace stops before its graph exists");
  });
  EXPECT_THROW(f(vec({1}, {1})), std::runtime_error);
  try {
    (void)v->value();
    FAIL();
  } catch (const tl::error& e) {
    EXPECT_NE(std::string(e.what()).find("has not happened yet"), std::string::npos) << e.what();
  }
}

// A variable that only the graph holds when the trace ends is made again by every trace of a new
// signature: observed on the first trace (TF refuses it on the first call), placed at its statement.
TEST(Variables, CreatedAndHeldOnlyByTheGraphIsObservedOnTheFirstTrace) {
  tl::scoped_check_mode warn(tl::check_mode::warn);
  tl::clear_observations();
  const int line = __LINE__ + 3;  // the lambda's first statement (the lambda opens on the next line)
  auto f = tl::function(
      [](const tl::tensor& x) {
        tl::variable fresh(tl::ones({1}));
        return x + fresh.value();
      },
      {.name = "graph_only"});
  std::unique_ptr<tl::variable> kept;
  auto g = tl::function(
      [&](const tl::tensor& x) {
        if (!kept) kept = std::make_unique<tl::variable>(tl::ones({1}));
        return x + kept->value();
      },
      {.name = "host_held"});
  f(vec({1}, {1}));
  g(vec({1}, {1}));
  int graph_only = 0, host_held = 0;
  for (const auto& o : tl::observations()) {
    if (o.rule != "trace-variable-creation") continue;
    graph_only += o.function == "graph_only";
    host_held += o.function == "host_held";
    if (o.function == "graph_only") {
      EXPECT_NE(o.location.find("function_test.cpp:" + std::to_string(line)), std::string::npos) << o.location;
    }
  }
  EXPECT_EQ(graph_only, 1);
  EXPECT_EQ(host_held, 0);
}

struct layer_made_per_trace {
  tl::variable w{tl::ones({1})};
};

// A variable made by a member initializer is placed at the traced function's statement that
// constructed the object (`Dense d;`), which is what to move; the constructor is evidence.
TEST(Variables, MadeByAMemberInitializerIsPlacedAtTheTracedStatement) {
  tl::scoped_check_mode warn(tl::check_mode::warn);
  tl::clear_observations();
  const int line = __LINE__ + 3;  // the lambda's first statement (the lambda opens on the next line)
  auto f = tl::function(
      [](const tl::tensor& x) {
        layer_made_per_trace layer;
        return x * layer.w.value();
      },
      {.name = "member_initializer"});
  f(vec({1}, {1}));
  int seen = 0;
  for (const auto& o : tl::observations()) {
    if (o.rule != "trace-variable-creation" || o.function != "member_initializer") continue;
    ++seen;
    EXPECT_NE(o.location.find("function_test.cpp:" + std::to_string(line)), std::string::npos) << o.location;
    EXPECT_NE(o.details.at("created_in").find("function_test.cpp:"), std::string::npos) << o.details.at("created_in");
  }
  EXPECT_EQ(seen, 1);
}

TEST(Optimizers, SgdMomentumAndAdamMatchEagerAndTraced) {
  auto run = [](bool traced, int which) {
    tl::variable w(tl::tensor::from_vector<float>({1, -2}, {2}));
    tl::optimizers::sgd sgd(0.1, which == 1 ? 0.9 : 0.0);
    tl::optimizers::adam adam(0.1);
    auto step = [&]() {
      tl::gradient_tape tape;
      auto loss = tl::sum(tl::square(w.value() - 3.0));
      auto g = tape.gradient(loss, std::vector<tl::variable>{w});
      if (which == 2)
        adam.apply_gradients(g, {w});
      else
        sgd.apply_gradients(g, {w});
      return loss;
    };
    auto f = tl::function(step, {.run_eagerly = !traced});
    float last = 0;
    for (int i = 0; i < 30; ++i) last = f().item<float>();
    return std::make_pair(last, w.value().to_vector<float>());
  };
  for (int which : {0, 1, 2}) {
    auto eager = run(false, which);
    auto traced = run(true, which);
    EXPECT_NEAR(eager.first, traced.first, 1e-4) << which;
    EXPECT_LT(traced.first, 10.f) << which;  // started at 4 + 25 = 29
    for (int i = 0; i < 2; ++i) EXPECT_NEAR(eager.second[i], traced.second[i], 1e-4);
  }
}

TEST(Metrics, MeanSumAccuracyInsideTracedFunction) {
  tl::metrics::mean m;
  tl::metrics::sum s;
  tl::metrics::accuracy acc;
  tl::metrics::sparse_categorical_accuracy sca;
  auto f = tl::function([&](const tl::tensor& x) {
    m.update_state(x);
    s.update_state(x);
    acc.update_state(tl::tensor::from_vector<std::int32_t>({1, 2, 3}, {3}),
                     tl::tensor::from_vector<std::int32_t>({1, 0, 3}, {3}));
    sca.update_state(tl::tensor::from_vector<std::int64_t>({1, 0}, {2}), vec({0.1f, 0.9f, 0.2f, 0.8f}, {2, 2}));
  });
  f(vec({1, 2, 3}, {3}));
  f(vec({4, 5, 6}, {3}));
  EXPECT_FLOAT_EQ(m.result().item<float>(), 3.5f);
  EXPECT_FLOAT_EQ(s.result().item<float>(), 21.f);
  EXPECT_NEAR(acc.result().item<float>(), 2.f / 3.f, 1e-6);
  EXPECT_FLOAT_EQ(sca.result().item<float>(), 0.5f);
  m.reset_state();
  EXPECT_FLOAT_EQ(m.result().item<float>(), 0.f);
}

TEST(Concurrency, OneFunctionFromEightThreadsWhileOthersRetrace) {
  auto f = tl::function([](const tl::tensor& x) { return tl::sum(x * 2.0); });
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::int64_t n = (t % 2 == 0) ? 4 : 1 + (i % 7);  // odd threads keep adding signatures
        auto out = f(tl::ones({n})).item<float>();
        if (out != 2.f * static_cast<float>(n)) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(f.tracing_count(), 7);
}

}  // namespace
