#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-tensor-leak: see docs/rules/trace-tensor-leak.md.
class TraceTensorLeakCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
