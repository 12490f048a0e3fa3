// Host values a traced function reads are baked into its graph. A write to one of them in host code
// that can reach a later call of the same traced function leaves the graph with the old value.
// "Can reach" is approximated structurally: a write inside a loop that calls the function (the
// back edge brings it to the next call), or a write placed between two calls in one function.
#include "checks/TraceStaleCaptureCheck.h"

#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceStaleCaptureCheck> Registration("trace-stale-capture");
}

void TraceStaleCaptureCheck::run(const CheckContext &C) {
  const auto &SM = C.Ctx.getSourceManager();
  std::set<std::pair<const VarDecl *, unsigned>> Seen;
  auto Consider = [&](const TracedCall &Call, const Expr *Target, SourceLocation Loc, const Stmt *Scope) {
    const VarDecl *V = baseVariable(Target);
    if (!V) return;
    const auto &Reads = C.Model.readsOf(Call.Root);
    auto Read = Reads.find(V);
    if (Read == Reads.end()) return;
    // What is written must be a baked host value: a number or a tensor handle, not a state handle.
    QualType T = Target->getType().getNonReferenceType();
    bool Baked = T->isArithmeticType() || C.Model.isSymbolicTensorType(T);
    if (!Baked || C.Model.isStateHandleType(T)) return;
    if (Scope && declaredWithin(V, Scope, SM)) return;  // a fresh variable every iteration
    if (!Seen.insert({V, SM.getFileOffset(SM.getFileLoc(Loc))}).second) return;
    std::string Name = V->getNameAsString();
    bool IsTensor = C.Model.isSymbolicTensorType(T);
    bool ByCopy = false;
    if (Call.Root->Lambda)
      for (const auto &Cap : Call.Root->Lambda->captures())
        if (Cap.capturesVariable() && Cap.getCapturedVar() == V && Cap.getCaptureKind() == LCK_ByCopy) ByCopy = true;
    auto F = tracedFinding(
        C, "trace-stale-capture", Loc, *Call.Root, Name,
        ByCopy ? "'" + Name + "' is changed here, but '" + Call.Root->Name +
                     "' captured it by value: the lambda keeps the copy it made when it was created, and its graph uses "
                     "that copy. Pass the value as an argument instead"
        : IsTensor ? "tensor '" + Name + "' is rebound here after '" + Call.Root->Name +
                       "' traced it; the next call replays the graph with the tensor it saw while tracing. Keep it in "
                       "a tl::variable and assign to it, or pass it as an argument"
                 : "'" + Name + "' is changed here, but '" + Call.Root->Name +
                       "' baked its value into the graph when it was traced; later calls keep the old value. Pass it as "
                       "a tensor argument or keep it in a tl::variable");
    if (Read->second) F.Notes.push_back({C.point(Read->second->getLocation()), "'" + Name + "' is read while tracing '" + Call.Root->Name + "' here"});
    F.Notes.push_back({C.point(Call.Call->getBeginLoc()), "'" + Call.Root->Name + "' is called again here"});
    C.Report(std::move(F));
  };
  const auto &Calls = C.Model.tracedCalls();
  for (const auto &Call : Calls) {
    if (Call.Loop)
      forEachWrite(Call.Loop, [&](const Expr *Target, SourceLocation Loc) { Consider(Call, Target, Loc, Call.Loop); });
  }
  // Straight-line code: a write between two calls of the same traced function in one function.
  for (std::size_t I = 0; I < Calls.size(); ++I) {
    for (std::size_t J = 0; J < Calls.size(); ++J) {
      const auto &A = Calls[I], &B = Calls[J];
      if (I == J || A.Root != B.Root || A.Caller != B.Caller || !A.Caller->getBody()) continue;
      auto Begin = SM.getFileLoc(A.Call->getEndLoc()), End = SM.getFileLoc(B.Call->getBeginLoc());
      if (!SM.isBeforeInTranslationUnit(Begin, End)) continue;
      forEachWrite(A.Caller->getBody(), [&](const Expr *Target, SourceLocation Loc) {
        auto L = SM.getFileLoc(Loc);
        if (SM.isBeforeInTranslationUnit(Begin, L) && SM.isBeforeInTranslationUnit(L, End)) Consider(B, Target, Loc, nullptr);
      });
    }
  }
}

}  // namespace tracelint
