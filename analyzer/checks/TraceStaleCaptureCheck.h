#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-stale-capture: see docs/rules/trace-stale-capture.md.
class TraceStaleCaptureCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
