#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-runtime-owned-params: see docs/rules/trace-runtime-owned-params.md.
class TraceRuntimeOwnedParamsCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
