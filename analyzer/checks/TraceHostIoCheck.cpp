// Host I/O in trace-reachable code runs once per trace.
#include "checks/TraceHostIoCheck.h"

#include "checks/HostEffects.h"

namespace tracelint {

namespace {
CheckRegistration<TraceHostIoCheck> Registration("trace-host-io");
}

void TraceHostIoCheck::run(const CheckContext& C) { reportHostCalls(C, C.Model.pack().HostIoFunctions); }

}  // namespace tracelint
