#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-update-outside: see docs/rules/trace-update-outside.md.
class TraceUpdateOutsideCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
