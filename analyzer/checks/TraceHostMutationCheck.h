#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-host-mutation: writes to host state that outlives the call, in trace-reachable code.
// Docs: docs/rules/trace-host-mutation.md.
class TraceHostMutationCheck : public Check {
 public:
  void run(const CheckContext& C) override;
};

}  // namespace tracelint
