#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-host-read: see docs/rules/trace-host-read.md.
class TraceHostReadCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
