#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-function-in-loop: see docs/rules/trace-function-in-loop.md.
class TraceFunctionInLoopCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
