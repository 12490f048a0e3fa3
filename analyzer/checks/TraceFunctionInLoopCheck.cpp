// A traced function object created inside a loop and called there: each iteration starts with an
// empty cache and traces again.
#include "checks/TraceFunctionInLoopCheck.h"

#include <set>

#include "checks/CheckUtil.h"
#include "clang/Basic/SourceManager.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceFunctionInLoopCheck> Registration("trace-function-in-loop");
}

void TraceFunctionInLoopCheck::run(const CheckContext &C) {
  const auto &SM = C.Ctx.getSourceManager();
  std::set<const TracedRoot *> Seen;
  for (const auto &Call : C.Model.tracedCalls()) {
    if (!Call.Loop || !Call.Root->Holder || !declaredWithin(Call.Root->Holder, Call.Loop, SM)) continue;
    if (!Seen.insert(Call.Root).second) continue;
    auto F = tracedFinding(C, "trace-function-in-loop", Call.Root->EntryLoc, *Call.Root, locationString(C, Call.Root->EntryLoc),
                           "'" + Call.Root->Name + "' is created inside a loop and called there: every iteration creates "
                               "a new function object with an empty cache, so every iteration traces again. Create it "
                               "once, before the loop");
    F.Notes.push_back({C.point(Call.Call->getBeginLoc()), "'" + Call.Root->Name + "' is called here"});
    C.Report(std::move(F));
  }
}

}  // namespace tracelint
