// A state handle that a traced function reads, updated by host code in the loop that calls the
// function: correct (variables are read when the graph runs) but the update runs op by op.
#include "checks/TraceUpdateOutsideCheck.h"

#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceUpdateOutsideCheck> Registration("trace-update-outside");

// Handles have value semantics over shared state, so their updating methods may be const: the pack
// names them.
class Updates : public RecursiveASTVisitor<Updates> {
 public:
  explicit Updates(const Pack& P) : P(P) {}
  std::vector<const CXXMemberCallExpr*> Calls;
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr* E) {
    // Conversion functions and operators have no identifier (getName() would assert): never updates.
    if (auto* M = E->getMethodDecl(); M && M->getIdentifier())
      for (const auto& Name : P.StateUpdateMethods)
        if (M->getName() == Name) Calls.push_back(E);
    return true;
  }

 private:
  const Pack& P;
};
}  // namespace

void TraceUpdateOutsideCheck::run(const CheckContext& C) {
  std::set<const CXXMemberCallExpr*> Seen;
  for (const auto& Call : C.Model.tracedCalls()) {
    if (!Call.Loop || Call.Kind != TracedCall::CallKind::Call) continue;
    const auto& Reads = C.Model.readsOf(Call.Root);
    Updates U(C.Model.pack());
    U.TraverseStmt(const_cast<Stmt*>(Call.Loop));
    for (const auto* E : U.Calls) {
      const Expr* Obj = E->getImplicitObjectArgument();
      if (!Obj || !C.Model.isStateHandleType(Obj->getType())) continue;
      // The handle updated, or a handle passed to the update (apply_gradients(grads, {w, b})).
      const VarDecl* Read = nullptr;
      if (auto* V = baseVariable(Obj); V && Reads.count(V) && C.Model.isStateHandleType(V->getType())) Read = V;
      std::set<const VarDecl*> ReadHandles;
      for (const auto& [V, Ref] : Reads)
        if (C.Model.isStateHandleType(V->getType())) ReadHandles.insert(V);
      for (unsigned I = 0; !Read && I < E->getNumArgs(); ++I)
        if (auto* Ref = referenceTo(E->getArg(I), ReadHandles)) Read = cast<VarDecl>(Ref->getDecl());
      if (!Read || !Seen.insert(E).second) continue;
      std::string Name = Read->getNameAsString();
      auto Message = packMessage(C, *Call.Root, "", Name, E->getMethodDecl()->getNameAsString());
      if (!Message) continue;
      auto F = tracedFinding(C, E->getExprLoc(), *Call.Root, "", *Message);
      F.Notes.push_back({C.point(Call.Call->getBeginLoc()), "'" + Call.Root->Name + "' is called here"});
      C.Report(std::move(F));
    }
  }
}

}  // namespace tracelint
