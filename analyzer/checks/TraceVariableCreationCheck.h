#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-variable-creation: see docs/rules/trace-variable-creation.md.
class TraceVariableCreationCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
