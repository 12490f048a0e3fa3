// A traced function object created inside a loop and called there: each iteration starts with an
// empty cache and traces again. For a capture region, the same waste: a loop that records,
// instantiates and launches a new graph on every iteration instead of updating the one it has.
#include "checks/TraceFunctionInLoopCheck.h"

#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceFunctionInLoopCheck> Registration("trace-function-in-loop");

// Calls of the region kind's instantiate and update functions in a loop, and one level down in
// the functions it calls (a helper that ends the capture often instantiates too).
struct GraphCalls : RecursiveASTVisitor<GraphCalls> {
  const CaptureRegion& Kind;
  int Depth = 0;
  const CallExpr* Instantiate = nullptr;
  bool Update = false, Replay = false;
  explicit GraphCalls(const CaptureRegion& K) : Kind(K) {}
  bool VisitCallExpr(CallExpr* E) {
    const auto* FD = E->getDirectCallee();
    if (!FD) return true;
    if (nameMatches(FD, Kind.Instantiate) && !Instantiate) Instantiate = E;
    if (nameMatches(FD, Kind.Update)) Update = true;
    if (nameMatches(FD, Kind.Replay)) Replay = true;
    const FunctionDecl* Def = nullptr;
    if (Depth == 0 && FD->hasBody(Def) && Def->getBody() &&
        !FD->getASTContext().getSourceManager().isInSystemHeader(FD->getLocation())) {
      ++Depth;
      TraverseStmt(Def->getBody());
      --Depth;
    }
    return true;
  }
};

// `do { ... } while (0)` is how error-checking macros make a statement, not a loop.
bool runsOnce(const DoStmt* D, const ASTContext& Ctx) {
  Expr::EvalResult R;
  return D->getCond() && D->getCond()->EvaluateAsInt(R, Ctx) && R.Val.getInt() == 0;
}

const Stmt* innermostLoop(const Stmt* S, const ParentMap& PM, const ASTContext& Ctx) {
  for (const Stmt* P = PM.getParent(S); P; P = PM.getParent(P)) {
    if (const auto* D = dyn_cast<DoStmt>(P); D && runsOnce(D, Ctx)) continue;
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P)) return P;
  }
  return nullptr;
}
}  // namespace

void TraceFunctionInLoopCheck::run(const CheckContext& C) {
  const auto& SM = C.Ctx.getSourceManager();
  std::set<const TracedRoot*> Seen;
  for (const auto& Call : C.Model.tracedCalls()) {
    if (Call.Kind != TracedCall::CallKind::Call || !Call.Loop || !Call.Root->Holder ||
        !declaredWithin(Call.Root->Holder, Call.Loop, SM))
      continue;
    // One cache per named function, however many function objects are made from it.
    if (Call.Root->Entry && Call.Root->Entry->CacheByFunction && !Call.Root->Lambda) continue;
    auto Message = packMessage(C, *Call.Root, "", "");
    if (!Message || !Seen.insert(Call.Root).second) continue;
    auto F = tracedFinding(C, Call.Root->EntryLoc, *Call.Root, locationString(C, Call.Root->EntryLoc), *Message);
    F.Notes.push_back({C.point(Call.Call->getBeginLoc()), "'" + Call.Root->Name + "' is called here"});
    C.Report(std::move(F));
  }
  for (const auto& Root : C.Model.roots()) {
    if (!Root.isCapture() || !Root.BeginCall || !Root.Callable->getBody()) continue;
    ParentMap PM(Root.Callable->getBody());
    const Stmt* Loop = innermostLoop(Root.BeginCall, PM, C.Ctx);
    if (!Loop) continue;
    GraphCalls G(*Root.Capture);
    G.TraverseStmt(const_cast<Stmt*>(Loop));
    // Graphs built in a loop and launched elsewhere (one per bucket) are instantiated once each.
    if (!G.Instantiate || !G.Replay || G.Update) continue;
    auto Message = packMessage(C, Root, "capture", "");
    if (!Message) continue;
    auto F = tracedFinding(C, Root.BeginCall->getBeginLoc(), Root, locationString(C, Root.EntryLoc), *Message);
    F.Notes.push_back({C.point(G.Instantiate->getBeginLoc()), "a new graph is instantiated here on every iteration"});
    C.Report(std::move(F));
  }
}

}  // namespace tracelint
