#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-host-random: see docs/rules/trace-host-random.md.
class TraceHostRandomCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
