// Host scalar arguments are part of a traced function's cache key by value: a loop-varying value
// passed as one traces on every new value. A flag (bool) is left alone: it costs two traces.
#include "checks/TraceScalarRetraceCheck.h"

#include "checks/CheckUtil.h"
#include "clang/AST/ExprCXX.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceScalarRetraceCheck> Registration("trace-scalar-retrace");
}

void TraceScalarRetraceCheck::run(const CheckContext& C) {
  for (const auto& Call : C.Model.tracedCalls()) {
    if (!Call.Loop || Call.Kind != TracedCall::CallKind::Call) continue;
    auto Varying = loopVarying(Call.Loop);
    for (unsigned I = 1; I < Call.Call->getNumArgs(); ++I) {
      const Expr* Arg = Call.Call->getArg(I)->IgnoreImplicit();
      // A bool takes two values at most: two traces, then replays. Not a retrace on every call.
      if (!Arg->getType()->isArithmeticType() || Arg->getType()->isBooleanType()) continue;
      auto* Ref = referenceTo(Arg, Varying);
      if (!Ref) continue;
      std::string Arg0 = "argument " + std::to_string(I - 1);
      auto Message = packMessage(C, *Call.Root, "", Arg0, nameOf(Ref));
      if (!Message) break;
      auto F = tracedFinding(C, Arg->getSourceRange(), *Call.Root, Arg0, *Message);
      F.Notes.push_back({C.point(Call.Root->EntryLoc), "'" + Call.Root->Name + "' is traced here"});
      C.Report(std::move(F));
      break;
    }
  }
}

}  // namespace tracelint
