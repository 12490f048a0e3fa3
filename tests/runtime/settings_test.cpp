// The runtime's settings come from the environment (docs/runtime.md). A value it does not accept
// is an error naming the variable and the values it accepts, never silently read as something else.
#include <gtest/gtest.h>

#include <string>

#include "command_output.h"
#include "sanitized.h"

namespace {

// The probe's output (stdout) under `settings` ("NAME=value ...").
std::string probe(const std::string& settings, const std::string& argument = "") {
  return tl_test::command_output("env " + settings + " '" + std::string(TL_SETTINGS_PROBE) + "' " + argument +
                                 " 2>/dev/null");
}

void expect_error(const std::string& settings, const std::string& variable, const std::string& accepted) {
  auto out = probe(settings);
  EXPECT_EQ(out.rfind("error: ", 0), 0u) << settings << " ran: " << out;
  EXPECT_NE(out.find(variable), std::string::npos) << out;
  EXPECT_NE(out.find(accepted), std::string::npos) << out;
}

TEST(Settings, AVerifyIntervalThatIsNotAPositiveIntegerIsAnError) {
  expect_error("TL_CHECK_MODE=verify TL_VERIFY_EVERY=1e99", "TL_VERIFY_EVERY='1e99'", "positive integer");
  expect_error("TL_CHECK_MODE=verify TL_VERIFY_EVERY=3xyz", "TL_VERIFY_EVERY='3xyz'", "positive integer");
  expect_error("TL_CHECK_MODE=verify TL_VERIFY_EVERY=0", "TL_VERIFY_EVERY='0'", "positive integer");
  expect_error("TL_CHECK_MODE=verify TL_VERIFY_EVERY=99999999999999999999", "TL_VERIFY_EVERY", "positive integer");
  EXPECT_NE(probe("TL_CHECK_MODE=verify TL_VERIFY_EVERY=3").find("ran"), std::string::npos);
}

TEST(Settings, ACheckModeThatIsNotOneOfTheModesIsAnError) {
  expect_error("TL_CHECK_MODE=Assert", "TL_CHECK_MODE='Assert'", "off, warn, assert, verify");
  EXPECT_NE(probe("TL_CHECK_MODE=assert").find("error: tl: [trace-host-mutation]"), std::string::npos);
}

TEST(Settings, LocatingWritesTakesTheUsualBooleanWordsAndRefusesOthers) {
  if (tl_test::kSanitized) GTEST_SKIP() << "writes are never located under sanitizers";
  auto located = [](const std::string& out) { return out.find("settings_probe.cpp:") != std::string::npos; };
  EXPECT_TRUE(located(probe("TL_CHECK_MODE=warn")));
  EXPECT_TRUE(located(probe("TL_CHECK_MODE=warn TL_LOCATE_WRITES=true")));
  for (const char* off : {"0", "false", "off", "no"}) {
    auto out = probe(std::string("TL_CHECK_MODE=warn TL_LOCATE_WRITES=") + off);
    EXPECT_NE(out.find("mutation"), std::string::npos) << off << ": " << out;
    EXPECT_FALSE(located(out)) << "TL_LOCATE_WRITES=" << off << " still located: " << out;
  }
  expect_error("TL_CHECK_MODE=warn TL_LOCATE_WRITES=maybe", "TL_LOCATE_WRITES='maybe'", "0, 1, false, true");
}

// A g++ executable holds glibc's __libc_single_threaded by a COPY relocation; the first thread
// flips it. It is the C library's state, not the program's global.
TEST(Settings, TheCLibrarysCopyRelocatedStateIsNotAUserGlobal) {
  auto out = probe("TL_CHECK_MODE=warn", "thread");
  EXPECT_NE(out.find("g_probe_writes"), std::string::npos) << out;
  EXPECT_EQ(out.find("__libc_single_threaded"), std::string::npos) << out;
}

}  // namespace
