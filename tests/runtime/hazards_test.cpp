#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <tl/testing.h>
#include <tl/tl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "sanitized.h"

// One-letter C symbols: __cxa_demangle reads "g" as the type code of __float128 and "i" as int.
extern "C" {
int g = 0;
long i = 0;
}

namespace {

int g_counter = 0;
double g_learning_rate = 0.1;
std::vector<int> g_history;

tl::tensor one() { return tl::ones({1}); }

const tl::observation* find(const std::vector<tl::observation>& all, const std::string& rule, const std::string& fn) {
  for (const auto& o : all)
    if (o.rule == rule && o.function == fn) return &o;
  return nullptr;
}

class Hazards : public ::testing::Test {
 protected:
  void SetUp() override { tl::clear_observations(); }
  tl::scoped_check_mode mode_{tl::check_mode::warn};
};

TEST_F(Hazards, GlobalWrittenWhileTracingIsNamedAndCountsSkippedReplays) {
  auto f = tl::function(
      [](const tl::tensor& x) {
        ++g_counter;
        g_history.push_back(1);
        return x;
      },
      {.name = "bumps_global"});
  TL_EXPECT_HAZARD(f(one()), "trace-host-mutation");
  f(one());
  f(one());
  auto all = tl::observations();
  auto* o = find(all, "trace-host-mutation", "bumps_global");
  ASSERT_NE(o, nullptr);
  bool named_counter = false, named_history = false;
  for (const auto& x : tl::observations()) {
    named_counter |= x.entity.find("g_counter") != std::string::npos;
    named_history |= x.entity.find("g_history") != std::string::npos;
  }
  EXPECT_TRUE(named_counter);
  EXPECT_TRUE(named_history);
  EXPECT_EQ(o->details.at("replays_skipped"), "2");
  EXPECT_NE(o->message.find("trace time"), std::string::npos);
}

using tl_test::kSanitized;

int g_located = 0;
std::vector<int> g_located_history;

TEST_F(Hazards, StaticWriteNamesTheWritingStatement) {
  if (kSanitized) GTEST_SKIP() << "write-protection is off under sanitizers (they handle faults themselves)";
  int counter_line = 0, push_line = 0;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        counter_line = __LINE__ + 1;
        g_located += 2;
        push_line = __LINE__ + 1;
        g_located_history.push_back(3);  // the store itself is inside <vector>
        return x;
      },
      {.name = "located"});
  f(one());
  auto all = tl::observations();
  std::map<std::string, std::string> where;
  for (const auto& o : all)
    if (o.function == "located") where[o.entity] = o.location;
  auto expect_line = [&](const std::string& entity_part, int line) {
    for (const auto& [entity, location] : where)
      if (entity.find(entity_part) != std::string::npos) {
        EXPECT_NE(location.find("hazards_test.cpp:" + std::to_string(line)), std::string::npos)
            << entity << " at " << location;
        return;
      }
    ADD_FAILURE() << "no observation names " << entity_part;
  };
  expect_line("g_located_history", push_line);
  expect_line("g_located", counter_line);
}

int g_warned = 0;
}  // namespace

// The runtime's internal formatter (runtime/src/hazards/observations.h, not a public header).
namespace tl::detail {
std::string warning_line(const observation& o);
}

namespace {

TEST_F(Hazards, WarnModePrintsTheLocationLikeACompiler) {
  if (kSanitized) GTEST_SKIP() << "write-protection is off under sanitizers (they handle faults themselves)";
  int line = 0;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        line = __LINE__ + 1;
        g_warned += 1;
        return x;
      },
      {.name = "warned"});
  ::testing::internal::CaptureStderr();
  f(one());
  auto err = ::testing::internal::GetCapturedStderr();
  auto expected = "hazards_test.cpp:" + std::to_string(line) + ": warning: ";
  auto at = err.find(expected);
  ASSERT_NE(at, std::string::npos) << err;
  auto end = err.find('\n', at);
  EXPECT_NE(err.substr(at, end - at).find("[trace-host-mutation]"), std::string::npos) << err;
  EXPECT_EQ(err.find("tl: warning: [trace-host-mutation]"), std::string::npos) << err;
}

TEST(HazardWarningLine, WithoutAFileLineTheLocationStaysInTheText) {
  tl::observation o;
  o.rule = "trace-host-io";
  o.message = "m";
  o.location = "f in libx.so (no line: no debug information)";
  EXPECT_EQ(tl::detail::warning_line(o),
            "tl: warning: m (at f in libx.so (no line: no debug information)) [trace-host-io]");
  o.location = "/src/a b.cpp:12";
  EXPECT_EQ(tl::detail::warning_line(o), "/src/a b.cpp:12: warning: m [trace-host-io]");
}

TEST_F(Hazards, CapturedLocalWrittenWhileTracing) {
  int calls = 0;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        ++calls;
        return x;
      },
      {.name = "bumps_local"});
  TL_EXPECT_HAZARD(f(one()), "trace-host-mutation");
}

// The trace runs on a stack of its own while the caller's frames are write-protected: a write
// through a captured reference is named by its statement, directly or inside a helper.
[[gnu::noinline]] void bump_through_reference(int& n) { n += 3; }
int g_bump_line = __LINE__ - 1;

std::string frame_write_location(const std::string& function) {
  std::string where = "<none>";
  int count = 0;
  for (const auto& o : tl::observations())
    if (o.function == function && o.rule == "trace-host-mutation") where = o.location, ++count;
  return count == 1 ? where : std::to_string(count) + " observations";
}

TEST_F(Hazards, CapturedLocalWriteNamesTheWritingStatement) {
  if (kSanitized) GTEST_SKIP() << "write-protection is off under sanitizers (they handle faults themselves)";
  int calls = 0;
  const int line = __LINE__ + 3;  // the lambda's first statement (the lambda opens on the next line)
  auto f = tl::function(
      [&](const tl::tensor& x) {
        ++calls;
        return x;
      },
      {.name = "frame_write"});
  f(one());
  EXPECT_NE(frame_write_location("frame_write").find("hazards_test.cpp:" + std::to_string(line)), std::string::npos)
      << frame_write_location("frame_write");
  EXPECT_EQ(calls, 1);
}

TEST_F(Hazards, CapturedLocalWrittenByAHelperNamesTheHelpersStatement) {
  if (kSanitized) GTEST_SKIP() << "write-protection is off under sanitizers (they handle faults themselves)";
  int bumped = 0;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        bump_through_reference(bumped);
        return x;
      },
      {.name = "helper_write"});
  f(one());
  EXPECT_NE(frame_write_location("helper_write").find("hazards_test.cpp:" + std::to_string(g_bump_line)),
            std::string::npos)
      << frame_write_location("helper_write");
  EXPECT_EQ(bumped, 3);
}

struct two_counters {
  int calls = 0;
  int steps = 0;
};

// Two members of one object written by two statements are two hazards; the several stores of one
// statement (constructing an object in place) are one.
TEST_F(Hazards, FrameWritesAreOneObservationPerStatement) {
  if (kSanitized) GTEST_SKIP() << "write-protection is off under sanitizers (they handle faults themselves)";
  two_counters c;
  std::optional<std::pair<double, long>> built;
  const int line = __LINE__ + 3;  // the lambda's first statement (the lambda opens on the next line)
  auto f = tl::function(
      [&](const tl::tensor& x) {
        ++c.calls;
        bump_through_reference(c.steps);  // a store of its own (the compiler may merge adjacent stores of one function)
        built.emplace(0.5, 7L);
        return x;
      },
      {.name = "statements"});
  f(one());
  std::multiset<std::string> lines;
  for (const auto& o : tl::observations())
    if (o.function == "statements" && o.rule == "trace-host-mutation")
      lines.insert(o.location.substr(o.location.rfind(':') + 1));
  EXPECT_EQ(lines,
            (std::multiset<std::string>{std::to_string(line), std::to_string(g_bump_line), std::to_string(line + 2)}));
}

TEST_F(Hazards, AnExceptionFromATraceOnItsOwnStackReachesTheCaller) {
  int frame_value = 1;
  auto f = tl::function(
      [&](const tl::tensor& x) -> tl::tensor {
        frame_value = 2;
        throw std::runtime_error("from the traced body");
      },
      {.name = "throws"});
  EXPECT_THROW(
      {
        try {
          f(one());
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "from the traced body");
          throw;
        }
      },
      std::runtime_error);
  // The caller's frames are writable again after the trace ended by an exception.
  frame_value = 3;
  EXPECT_EQ(frame_value, 3);
  auto g = tl::function([&](const tl::tensor& x) { return x * 2.0; }, {.name = "after_throw"});
  EXPECT_EQ(g(one()).item<float>(), 2.0f);
}

TEST_F(Hazards, NoMutationForLocalsVariablesAndHeapOwnedByTheTrace) {
  tl::variable v(tl::zeros({1}));
  tl::metrics::mean m;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        int local = 0;
        ++local;
        std::vector<float> scratch(100, 1.f);  // heap memory owned by the trace
        scratch[3] = 2.f;
        v.assign_add(x);
        m.update_state(x);
        return x * static_cast<double>(local + static_cast<int>(scratch[3]));
      },
      {.name = "clean"});
  TL_EXPECT_NO_HAZARD(f(one()); f(one()));
}

TEST_F(Hazards, CreateOnceGuardIsNotAHostMutation) {
  tl::variable lazily;
  std::optional<tl::metrics::mean> metric;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        if (!lazily.defined()) lazily = tl::variable(tl::zeros({1}));
        if (!metric) metric.emplace();
        metric->update_state(x);
        lazily.assign_add(x);
        return lazily.value();
      },
      {.name = "create_once"});
  TL_EXPECT_NO_HAZARD(f(one()); f(one()));
  EXPECT_FLOAT_EQ(lazily.value().to_vector<float>()[0], 2.f);
}

bool g_built = false;
int g_create_once_calls = 0;

// The create-once forms tf.function's guide uses, and what a trace's state creation writes into
// the user's objects (an optimizer's slots): none is a host mutation. A counter beside them is.
TEST_F(Hazards, CreateOnceFormsAreNotHostMutationsButACounterIs) {
  struct dense {
    tl::variable w{tl::ones({2})}, b{tl::zeros({2})};
  };
  std::vector<tl::variable> slots;
  std::unique_ptr<dense> layer;
  std::optional<tl::optimizers::adam> opt;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        if (slots.empty()) slots.emplace_back(tl::zeros({2}));
        if (!layer) layer = std::make_unique<dense>();
        if (!opt) opt.emplace(0.1);
        if (!g_built) g_built = true;
        tl::gradient_tape tape;
        auto loss = tl::sum(x * layer->w + layer->b + slots[0]);
        opt->apply_gradients(tape.gradient(loss, std::vector<tl::variable>{layer->w}), {layer->w});
        return loss;
      },
      {.name = "create_once_forms"});
  TL_EXPECT_NO_HAZARD(f(tl::ones({2})); f(tl::ones({2})));
  auto counting = tl::function(
      [&](const tl::tensor& x) {
        if (slots.size() < 2) slots.emplace_back(tl::zeros({2}));
        ++g_create_once_calls;
        return x + slots[1];
      },
      {.name = "counts_too"});
  TL_EXPECT_HAZARD(counting(tl::ones({2})), "trace-host-mutation");
  bool counter_named = false;
  for (const auto& o : tl::observations())
    counter_named |= o.function == "counts_too" && o.entity.find("g_create_once_calls") != std::string::npos;
  EXPECT_TRUE(counter_named);
}

TEST_F(Hazards, StaleHostDoubleReportsBothValues) {
  g_learning_rate = 0.1;
  auto f = tl::function([](const tl::tensor& x) { return x * g_learning_rate; }, {.name = "uses_lr"});
  TL_EXPECT_NO_HAZARD(f(one()); f(one()));  // unchanged: nothing to report
  g_learning_rate = 0.05;
  TL_EXPECT_HAZARD(f(one()), "trace-stale-capture");
  auto all = tl::observations();
  auto* o = find(all, "trace-stale-capture", "uses_lr");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->details.at("traced_value"), "0.1");
  EXPECT_EQ(o->details.at("current_value"), "0.05");
  EXPECT_NE(o->message.find("g_learning_rate"), std::string::npos) << o->message;
}

TEST_F(Hazards, StaleCapturedLocalAndReboundTensor) {
  double scale = 2.0;
  auto w = tl::ones({1});
  auto f = tl::function([&](const tl::tensor& x) { return x * scale + w; }, {.name = "captures"});
  f(one());
  scale = 3.0;
  w = w * 2.0;
  TL_EXPECT_HAZARD(f(one()), "trace-stale-capture");
  int stale = 0;
  for (const auto& o : tl::observations()) stale += o.rule == "trace-stale-capture";
  EXPECT_EQ(stale, 2);
}

TEST_F(Hazards, ValuesThatCannotGoStaleAreNotChecked) {
  double by_value = 2.0;
  auto f = tl::function([by_value](const tl::tensor& x) { return x * by_value * 3.0; }, {.name = "by_value"});
  f(one());
  by_value = 5.0;  // the closure keeps its own copy: nothing outside can change it
  TL_EXPECT_NO_HAZARD(f(one()));
}

TEST_F(Hazards, FrequentShapeRetraceAtTfThreshold) {
  auto f = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "ragged"});
  TL_EXPECT_NO_HAZARD(f(tl::ones({1})); f(tl::ones({2})); f(tl::ones({3})); f(tl::ones({4})));
  TL_EXPECT_HAZARD(f(tl::ones({5})); f(tl::ones({6})), "trace-shape-retrace");
  auto all = tl::observations();
  auto* o = find(all, "trace-shape-retrace", "ragged");
  ASSERT_NE(o, nullptr);
  EXPECT_NE(o->details.at("diff").find("argument 0"), std::string::npos);
  EXPECT_NE(o->message.find("input_signature"), std::string::npos);
}

TEST_F(Hazards, ACallSiteThatTracesASecondSignatureIsReportedThereAtOnce) {
  auto f = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "two_shapes"});
  int line = 0;
  for (int n : {2, 3}) {
    line = __LINE__ + 1;
    f(tl::ones({n}));
  }
  auto all = tl::observations();
  auto* o = find(all, "trace-shape-retrace", "two_shapes");
  ASSERT_NE(o, nullptr) << "two signatures at one call site, far below TF's frequency threshold";
  EXPECT_NE(o->location.find("hazards_test.cpp:" + std::to_string(line)), std::string::npos) << o->location;
  EXPECT_EQ(o->entity, "argument 0");
  // Two call sites with one signature each are not a retrace at a site.
  auto g = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "one_shape_per_site"});
  g(tl::ones({2}));
  g(tl::ones({3}));
  all = tl::observations();
  EXPECT_EQ(find(all, "trace-shape-retrace", "one_shape_per_site"), nullptr);
}

TEST_F(Hazards, InputSignatureMeansNoRetrace) {
  auto f =
      tl::function([](const tl::tensor& x) { return tl::sum(x); },
                   {.name = "signed", .input_signature = std::vector<tl::tensor_spec>{{{-1}, tl::dtype::float32}}});
  TL_EXPECT_TRACES(f, 1, TL_EXPECT_NO_HAZARD(for (int n = 1; n < 12; ++n) f(tl::ones({n}))));
}

TEST_F(Hazards, ScalarRetrace) {
  auto f =
      tl::function([](const tl::tensor& x, int step) { return x * static_cast<double>(step); }, {.name = "scalar"});
  TL_EXPECT_HAZARD(for (int i = 0; i < 8; ++i) f(one(), i), "trace-scalar-retrace");
}

TEST_F(Hazards, FunctionCreatedInLoop) {
  TL_EXPECT_HAZARD(
      for (int i = 0; i < 4; ++i) {
        auto f = tl::function([](const tl::tensor& x) { return x + 1.0; }, {.name = "in_loop"});
        f(one());
      },
      "trace-function-in-loop");
  tl::clear_observations();
  const int created_line = __LINE__ + 2;
  for (int i = 0; i < 4; ++i) {
    auto f = tl::function([](const tl::tensor& x) { return x + 1.0; }, {.name = "in_loop"});
    f(one());
  }
  // Placed at the creation to move out of the loop; the call that traced is evidence.
  auto all = tl::observations();
  auto* o = find(all, "trace-function-in-loop", "in_loop");
  ASSERT_NE(o, nullptr);
  EXPECT_NE(o->location.find("hazards_test.cpp:" + std::to_string(created_line)), std::string::npos) << o->location;
  EXPECT_NE(o->details.at("call_site").find("hazards_test.cpp:" + std::to_string(created_line + 1)), std::string::npos)
      << o->details.at("call_site");
}

TEST_F(Hazards, FunctionObjectsAFactoryMakesAndKeepsAreNotTheLoopHazard) {
  auto make = [](double k) { return tl::function([k](const tl::tensor& x) { return x * k; }, {.name = "kept"}); };
  std::vector<decltype(make(1.0))> kept;
  for (int i = 0; i < 4; ++i) kept.push_back(make(i));  // four objects from one source location
  TL_EXPECT_NO_HAZARD(for (auto& f : kept) {
    f(one());
    f(one());
  });
}

TEST_F(Hazards, VariableCreatedOnRetraceIsAnErrorAndAnObservation) {
  auto f = tl::function(
      [](const tl::tensor& x) {
        tl::variable v(tl::zeros({1}));
        return x + v.value();
      },
      {.name = "creates"});
  f(one());
  EXPECT_THROW(f(tl::ones({1, 1})), tl::hazard_error);
  EXPECT_NE(find(tl::observations(), "trace-variable-creation", "creates"), nullptr);
}

TEST_F(Hazards, UpdateOutside) {
  tl::variable w(tl::ones({1}));
  auto f = tl::function([&](const tl::tensor& x) { return x * w; }, {.name = "reads_w"});
  int update_line = __LINE__ + 1;  // g++ gives statements in a macro's arguments the macro's line
  TL_EXPECT_HAZARD(
      for (int i = 0; i < 5; ++i) {
        f(one());
        w.assign_sub(tl::fill({1}, 0.1));
      },
      "trace-update-outside");
  {
    auto all = tl::observations();
    auto* o = find(all, "trace-update-outside", "reads_w");
    ASSERT_NE(o, nullptr);
    EXPECT_NE(o->location.find("hazards_test.cpp:" + std::to_string(update_line)), std::string::npos) << o->location;
  }
  tl::variable u(tl::ones({1}));
  auto g = tl::function(
      [&](const tl::tensor& x) {
        u.assign_sub(x * 0.1);
        return u.value();
      },
      {.name = "updates_inside"});
  TL_EXPECT_NO_HAZARD(for (int i = 0; i < 5; ++i) g(one()));
}

TEST_F(Hazards, AssertModeThrowsWhereObservedAndOffModeObservesNothing) {
  auto f = tl::function(
      [](const tl::tensor& x) {
        g_counter += 1;
        return x;
      },
      {.name = "assert_mode"});
  {
    tl::scoped_check_mode m(tl::check_mode::assert_);
    EXPECT_THROW(f(one()), tl::hazard_error);
  }
  auto g = tl::function(
      [](const tl::tensor& x) {
        g_counter += 1;
        return x;
      },
      {.name = "off_mode"});
  {
    tl::scoped_check_mode m(tl::check_mode::off);
    g(one());
  }
  EXPECT_EQ(find(tl::observations(), "trace-host-mutation", "off_mode"), nullptr);
}

TEST_F(Hazards, ReportIsJsonWithEveryObservation) {
  auto f = tl::function(
      [](const tl::tensor& x) {
        ++g_counter;
        return x;
      },
      {.name = "reported \"quoted\""});
  f(one());
  std::string path = ::testing::TempDir() + "tl_report_test.json";
  tl::write_report(path);
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto text = ss.str();
  EXPECT_NE(text.find("\"schema\": \"tracelint-runtime-report\""), std::string::npos);
  EXPECT_NE(text.find("\"rule\": \"trace-host-mutation\""), std::string::npos);
  EXPECT_NE(text.find("reported \\\"quoted\\\""), std::string::npos);
  std::remove(path.c_str());
}

TEST_F(Hazards, OneLetterCSymbolsAreNamedAsWrittenNotDemangledAsTypeCodes) {
  auto f = tl::function(
      [](const tl::tensor& x) {
        g += 1;
        i += 1;
        return x;
      },
      {.name = "one_letter_globals"});
  f(one());
  std::vector<std::string> entities;
  for (const auto& o : tl::observations())
    if (o.function == "one_letter_globals") entities.push_back(o.entity);
  EXPECT_NE(std::find(entities.begin(), entities.end(), "g"), entities.end()) << ::testing::PrintToString(entities);
  EXPECT_NE(std::find(entities.begin(), entities.end(), "i"), entities.end()) << ::testing::PrintToString(entities);
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_F(Hazards, ReportIntoAFullDeviceIsAnErrorWithTheSystemsReason) {
  try {
    tl::write_report("/dev/full");
    ADD_FAILURE() << "no error";
  } catch (const tl::error& e) {
    EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
  }
  struct stat st;
  ASSERT_EQ(::stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/full was replaced";
}

TEST_F(Hazards, ReportThroughASymlinkKeepsTheLinkAndWritesItsTarget) {
  namespace fs = std::filesystem;
  auto dir = fs::path(::testing::TempDir()) / ("tl_report_link_" + std::to_string(::getpid()));
  fs::create_directories(dir / "real");
  auto link = dir / "report.json";
  fs::create_symlink("real/target.json", link);  // dangling: the report creates the target
  tl::write_report(link.string());
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_NE(read_all((dir / "real/target.json").string()).find("tracelint-runtime-report"), std::string::npos);
  tl::write_report(link.string());  // and replaces it the second time, the link still a link
  EXPECT_TRUE(fs::is_symlink(link));
  fs::remove_all(dir);
}

TEST_F(Hazards, ReportIntoAFifoIsWrittenInPlace) {
  namespace fs = std::filesystem;
  auto fifo = fs::path(::testing::TempDir()) / ("tl_report_fifo_" + std::to_string(::getpid()));
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = read_all(fifo.string()); });
  tl::write_report(fifo.string());
  reader.join();
  EXPECT_NE(received.find("tracelint-runtime-report"), std::string::npos);
  struct stat st;
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the FIFO was replaced by a regular file";
  fs::remove(fifo);
}

TEST_F(Hazards, UnexpectedHazardFailsTheTestAtTheUsersLine) {
  ::testing::TestPartResultArray failures;
  int read_line = 0;
  {
    ::testing::ScopedFakeTestPartResultReporter intercept(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    int listener = tl::testing::fail_tests_on_hazards();
    auto f = tl::function(
        [&](const tl::tensor& x) {
          read_line = __LINE__ + 1;
          float v = x.item<float>();
          return x * static_cast<double>(v);
        },
        {.name = "reads_on_host"});
    EXPECT_THROW(f(one()), tl::hazard_error);
    tl::remove_hazard_listener(listener);
  }
  ASSERT_EQ(failures.size(), 1);
  const auto& r = failures.GetTestPartResult(0);
  EXPECT_NE(std::string(r.file_name() ? r.file_name() : "").find("hazards_test.cpp"), std::string::npos);
  EXPECT_EQ(r.line_number(), read_line);
  EXPECT_NE(std::string(r.message()).find("trace-host-read"), std::string::npos);
}

// The statements behind hazards that have no std::source_location: a retrace's call site (and the
// call that traced the signature it differs from), and a stale value reached through an operator.
TEST_F(Hazards, RetraceNamesTheRetracingAndThePreviousCallSite) {
  auto f = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "sited"});
  int first_line = __LINE__ + 1;
  f(tl::ones({1}));
  int loop_line = __LINE__ + 1;
  for (int n = 2; n < 8; ++n) f(tl::ones({n}));
  auto all = tl::observations();
  auto* o = find(all, "trace-shape-retrace", "sited");
  ASSERT_NE(o, nullptr);
  EXPECT_NE(o->location.find("hazards_test.cpp:" + std::to_string(loop_line)), std::string::npos) << o->location;
  // The closest cached signature was traced by the loop too, or by the first call.
  auto previous = o->details.at("previous_call_site");
  EXPECT_TRUE(previous.find("hazards_test.cpp:" + std::to_string(loop_line)) != std::string::npos ||
              previous.find("hazards_test.cpp:" + std::to_string(first_line)) != std::string::npos)
      << previous;
}

TEST_F(Hazards, EachCallSiteThatRetracesIsItsOwnObservation) {
  auto f = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "two_sites"});
  int first_site = __LINE__ + 1;
  for (int n = 1; n < 3; ++n) f(tl::ones({n}));
  int second_site = __LINE__ + 1;
  for (int n = 3; n < 5; ++n) f(tl::ones({n, 2}));
  std::set<std::string> sites;
  for (const auto& o : tl::observations())
    if (o.rule == "trace-shape-retrace" && o.function == "two_sites")
      sites.insert(o.location.substr(o.location.rfind(':') + 1));
  EXPECT_EQ(sites, (std::set<std::string>{std::to_string(first_site), std::to_string(second_site)}));
}

// The guide's patterns that retrace by design: a bool flag (two signatures at most), and
// reduce_retracing's one generalized trace.
TEST_F(Hazards, BoolFlagsAndReduceRetracingAreNotCallSiteRetraces) {
  auto dropout =
      tl::function([](const tl::tensor& x, bool training) { return training ? x * 0.5 : x; }, {.name = "flag"});
  auto relaxed =
      tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "relaxed", .reduce_retracing = true});
  TL_EXPECT_NO_HAZARD(for (int i = 0; i < 6; ++i) dropout(one(), i % 2 == 0));
  TL_EXPECT_NO_HAZARD(for (int n = 1; n < 6; ++n) relaxed(tl::ones({n})));
  EXPECT_EQ(dropout.tracing_count(), 2);
  EXPECT_EQ(relaxed.tracing_count(), 2);
  auto counted =
      tl::function([](const tl::tensor& x, int k) { return x * static_cast<double>(k); }, {.name = "int_arg"});
  TL_EXPECT_HAZARD(for (int k = 0; k < 2; ++k) counted(one(), k), "trace-scalar-retrace");
}

TEST_F(Hazards, StaleValueThroughAnOperatorNamesTheOperatorsLine) {
  double lr = 0.5;
  int use_line = __LINE__ + 1;
  auto f = tl::function([&](const tl::tensor& x) { return x * lr; }, {.name = "operator_stale"});
  f(one());
  lr = 0.25;
  f(one());
  auto all = tl::observations();
  auto* o = find(all, "trace-stale-capture", "operator_stale");
  ASSERT_NE(o, nullptr);
  EXPECT_NE(o->location.find("hazards_test.cpp:" + std::to_string(use_line)), std::string::npos) << o->location;
}

TEST_F(Hazards, OperatorErrorsNameTheOperatorsLine) {
  int line = __LINE__ + 2;
  try {
    auto bad = tl::ones({2}) + tl::ones({3});
    FAIL();
  } catch (const tl::error& e) {
    EXPECT_NE(std::string(e.what()).find("hazards_test.cpp:" + std::to_string(line)), std::string::npos) << e.what();
  }
}

TEST_F(Hazards, WithoutTheSymbolizerACodeAddressIsNamedBySymbolAndSaysWhy) {
  // The plugin is chosen once per process: the degraded form is checked in a child run of this
  // test binary with TL_SYMBOLIZER=off.
  if (std::getenv("TL_SYMBOLIZER_CHILD")) {
    tl::clear_observations();
    auto f = tl::function([](const tl::tensor& x) { return tl::sum(x); }, {.name = "no_symbolizer"});
    for (int n = 1; n < 8; ++n) f(tl::ones({n}));
    auto all = tl::observations();
    auto* o = find(all, "trace-shape-retrace", "no_symbolizer");
    ASSERT_NE(o, nullptr);
    std::printf("LOCATION=%s\n", o->location.c_str());
    return;
  }
  std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  std::string cmd = "TL_SYMBOLIZER_CHILD=1 TL_SYMBOLIZER=off '" + self +
                    "' --gtest_filter=Hazards.WithoutTheSymbolizerACodeAddressIsNamedBySymbolAndSaysWhy 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  EXPECT_EQ(::pclose(p), 0) << out;
  auto at = out.find("LOCATION=");
  ASSERT_NE(at, std::string::npos) << out;
  auto location = out.substr(at, out.find('\n', at) - at);
  EXPECT_NE(location.find("(no line: TL_SYMBOLIZER=off)"), std::string::npos) << location;
  EXPECT_NE(location.find("runtime_tests"), std::string::npos) << location;
}

// Verify mode: what snapshots cannot see, found by tracing again and comparing the graphs.
int count_rule(const std::string& rule, const std::string& fn) {
  int n = 0;
  for (const auto& o : tl::observations()) n += o.rule == rule && o.function == fn;
  return n;
}

TEST_F(Hazards, VerifySeesAHostValueBakedThroughATemporary) {
  double lr = 0.5;
  int line = __LINE__ + 1;
  auto f = tl::function([&](const tl::tensor& x) { return x * (lr * 2); }, {.name = "temporary", .verify = true});
  f(one());
  TL_EXPECT_NO_HAZARD(f(one()));
  lr = 0.25;
  TL_EXPECT_HAZARD(f(one()), "trace-stale-capture");
  auto all = tl::observations();
  auto* o = find(all, "trace-stale-capture", "temporary");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->details.at("traced_value"), "1");
  EXPECT_EQ(o->details.at("current_value"), "0.5");
  EXPECT_NE(o->location.find("hazards_test.cpp:" + std::to_string(line)), std::string::npos) << o->location;
}

TEST_F(Hazards, VerifySeesContainerElementsAndValuesBehindPointers) {
  std::vector<float> row{1, 2, 3};
  double a = 1, b = 2;
  const double* chosen = &a;
  auto f = tl::function(
      [&](const tl::tensor& x) {
        auto r = tl::tensor::from_vector(row, {3});
        return x * r * *chosen;
      },
      {.name = "indirect", .verify = true});
  f(tl::ones({3}));
  TL_EXPECT_NO_HAZARD(f(tl::ones({3})));
  row[1] = 20;
  chosen = &b;
  TL_EXPECT_HAZARD(f(tl::ones({3})), "trace-stale-capture");
  EXPECT_EQ(count_rule("trace-stale-capture", "indirect"), 2);  // the row and the pointee
}

TEST_F(Hazards, VerifySeesATraceThatBranchedOnHostState) {
  bool use_bias = true;
  auto f = tl::function([&](const tl::tensor& x) { return use_bias ? x + 1.0 : x; }, {.name = "branches"});
  tl::scoped_check_mode verify(tl::check_mode::verify);
  f(one());
  use_bias = false;
  f(one());
  auto all = tl::observations();
  auto* o = find(all, "trace-stale-capture", "branches");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->entity, "graph structure");
}

TEST_F(Hazards, VerifyIsQuietOnRandomOpsCreateOnceGuardsAndUnchangedState) {
  tl::variable w;
  tl::random_generator gen(3);
  std::vector<float> fixed{1, 2};
  auto f = tl::function(
      [&](const tl::tensor& x) {
        if (!w.defined()) w = tl::variable(tl::zeros({2}), "w");
        w.assign_add(x);
        return x * tl::tensor::from_vector(fixed, {2}) + gen.normal({2}) + tl::random_uniform({2}, 4) + w.value();
      },
      {.name = "quiet", .verify = true});
  TL_EXPECT_NO_HAZARD(for (int i = 0; i < 4; ++i) f(tl::ones({2})));
  EXPECT_EQ(w.value().to_vector<float>(), (std::vector<float>{4, 4}));  // verification runs no graph
}

}  // namespace
