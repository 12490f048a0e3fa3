// Host RNG draws and clock reads in trace-reachable code are evaluated once, at trace time.
#include "checks/TraceHostRandomCheck.h"

#include "checks/HostEffects.h"

namespace tracelint {

namespace {
CheckRegistration<TraceHostRandomCheck> Registration("trace-host-random");
}

void TraceHostRandomCheck::run(const CheckContext& C) {
  auto Names = C.Model.pack().HostRandomFunctions;
  const auto& Clocks = C.Model.pack().HostClockFunctions;
  Names.insert(Names.end(), Clocks.begin(), Clocks.end());
  reportHostCalls(C, Names);
}

}  // namespace tracelint
