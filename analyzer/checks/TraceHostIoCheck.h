#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-host-io: see docs/rules/trace-host-io.md.
class TraceHostIoCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
