#pragma once
// GoogleTest helpers for the runtime's hazard checks (target tracelint::gtest).
//
//   TL_EXPECT_NO_HAZARD(step(x));
//   TL_EXPECT_HAZARD(step(x), "trace-host-mutation");
//   TL_EXPECT_TRACES(step, 1, { step(a); step(b); });
//   tl::testing::fail_tests_on_hazards();  // in main(): any unexpected hazard fails the running test
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tl/checks.h"

namespace tl::testing {

// Records the observations made while it is alive (check mode must not be off; the recorder
// switches an off mode to warn for its lifetime). Observations already made before are not new:
// a recorder sees what its scope observed for the first time, and repeats of known ones.
class hazard_recorder {
 public:
  hazard_recorder();
  ~hazard_recorder();
  hazard_recorder(const hazard_recorder&) = delete;
  hazard_recorder& operator=(const hazard_recorder&) = delete;
  const std::vector<observation>& observed() const { return observed_; }
  bool saw(const std::string& rule) const;
  std::string summary() const;

 private:
  int listener_ = -1;
  std::vector<observation> observed_;
  std::vector<observation> before_;
  bool restore_off_ = false;
};

// Installs a listener that reports every new hazard as a test failure (outside TL_EXPECT_HAZARD),
// at the user's file:line of the hazard when the runtime knows it. Returns the listener's id
// (tl::remove_hazard_listener takes it away again).
int fail_tests_on_hazards();

namespace detail {
struct expecting_scope {
  expecting_scope();
  ~expecting_scope();
};
}  // namespace detail

}  // namespace tl::testing

#define TL_EXPECT_NO_HAZARD(statement)                                                              \
  do {                                                                                              \
    ::tl::scoped_check_mode tl_mode_(::tl::check_mode::warn);                                       \
    ::tl::testing::hazard_recorder tl_recorder_;                                                    \
    {                                                                                               \
      statement;                                                                                    \
    }                                                                                               \
    EXPECT_TRUE(tl_recorder_.observed().empty()) << "hazards observed: " << tl_recorder_.summary(); \
  } while (0)

#define TL_EXPECT_HAZARD(statement, rule)                                                                            \
  do {                                                                                                               \
    ::tl::scoped_check_mode tl_mode_(::tl::check_mode::warn);                                                        \
    ::tl::testing::detail::expecting_scope tl_expecting_;                                                            \
    ::tl::testing::hazard_recorder tl_recorder_;                                                                     \
    try {                                                                                                            \
      statement;                                                                                                     \
    } catch (const ::tl::hazard_error&) {                                                                            \
    }                                                                                                                \
    EXPECT_TRUE(tl_recorder_.saw(rule)) << "expected hazard " << (rule) << "; observed: " << tl_recorder_.summary(); \
  } while (0)

#define TL_EXPECT_TRACES(function_object, n, statement)                                                 \
  do {                                                                                                  \
    int tl_before_ = (function_object).tracing_count();                                                 \
    {                                                                                                   \
      statement;                                                                                        \
    }                                                                                                   \
    EXPECT_EQ((function_object).tracing_count() - tl_before_, (n))                                      \
        << #function_object " traced " << ((function_object).tracing_count() - tl_before_) << " times"; \
  } while (0)
