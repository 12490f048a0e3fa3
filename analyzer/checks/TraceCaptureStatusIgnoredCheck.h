#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-capture-status-ignored: see docs/rules/trace-capture-status-ignored.md.
class TraceCaptureStatusIgnoredCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
