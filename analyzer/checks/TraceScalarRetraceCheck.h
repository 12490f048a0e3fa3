#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-scalar-retrace: see docs/rules/trace-scalar-retrace.md.
class TraceScalarRetraceCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
