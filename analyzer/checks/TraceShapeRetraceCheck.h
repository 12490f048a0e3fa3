#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-shape-retrace: see docs/rules/trace-shape-retrace.md.
class TraceShapeRetraceCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
