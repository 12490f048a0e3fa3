#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-capture-left-open: see docs/rules/trace-capture-left-open.md.
class TraceCaptureLeftOpenCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
