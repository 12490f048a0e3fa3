#pragma once
#include "checks/Check.h"

namespace tracelint {

// trace-host-mutation: writes to host state that outlives the call, in trace-reachable code.
// Docs: docs/rules/trace-host-mutation.md.
class TraceHostMutationCheck : public Check {
 public:
  void run(const CheckContext& C) override;
  // Findings for open calls whose callees (transitively) write static storage, using the summaries
  // of every analyzed file.
  static std::vector<Finding> resolveAcrossFiles(const std::vector<OpenCall>& Open,
                                                 const std::map<std::string, FunctionSummary>& All);
};

}  // namespace tracelint
