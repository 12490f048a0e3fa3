// A state handle that creates variables (tl::variable, a metric, an optimizer) constructed in
// trace-reachable code: allowed on the first trace only, so any retrace fails. Not reported: a
// static local (initialized once per process) and a construction guarded by a condition on state
// that outlives the call (the create-once pattern: `if (!w.defined()) w = tl::variable(...)`).
#include "checks/TraceVariableCreationCheck.h"

#include <set>

#include "checks/CheckUtil.h"
#include "checks/HostEffects.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceVariableCreationCheck> Registration("trace-variable-creation");

class Constructions : public RecursiveASTVisitor<Constructions> {
 public:
  explicit Constructions(const TracedRegionModel& M) : M(M) {}
  std::vector<const CXXConstructExpr*> Found;
  // Calls and constructions (a library wrapper's) of the pack's variable-creating functions.
  std::vector<std::pair<const Expr*, std::string>> Allocations;
  std::set<const CXXConstructExpr*> StaticInits;
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  bool VisitCallExpr(CallExpr* E) {
    if (auto Name = matchedCallName(E, M.pack().VariableCreatingFunctions); !Name.empty())
      Allocations.emplace_back(E, Name);
    return true;
  }
  bool VisitVarDecl(VarDecl* D) {
    if ((D->isStaticLocal() || D->hasGlobalStorage()) && D->getInit())
      if (auto* CE = dyn_cast<CXXConstructExpr>(D->getInit()->IgnoreImplicit())) StaticInits.insert(CE);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr* E) {
    if (auto Name = matchedCallName(E, M.pack().VariableCreatingFunctions); !Name.empty())
      Allocations.emplace_back(E, Name);
    auto* Ctor = E->getConstructor();
    if (Ctor->isCopyOrMoveConstructor() || !M.isVariableCreatingType(E->getType())) return true;
    // Only the outermost creating type counts: a metric's own variables are its business.
    Found.push_back(E);
    return true;
  }

 private:
  const TracedRegionModel& M;
};

// A condition reading state that outlives the call: a global, a captured variable, a member.
bool readsOuterState(const Expr* Cond, const FunctionDecl* Fn) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const FunctionDecl* Fn;
    bool Found = false;
    bool VisitDeclRefExpr(DeclRefExpr* E) {
      if (auto* VD = dyn_cast<VarDecl>(E->getDecl()))
        if (VD->hasGlobalStorage() || cast<Decl>(VD->getDeclContext())->getCanonicalDecl() != Fn->getCanonicalDecl())
          Found = true;
      return !Found;
    }
    bool VisitMemberExpr(MemberExpr* E) {
      if (isa<CXXThisExpr>(E->getBase()->IgnoreParenImpCasts())) Found = true;
      return !Found;
    }
  } F;
  F.Fn = Fn;
  F.TraverseStmt(const_cast<Expr*>(Cond));
  return F.Found;
}
}  // namespace

void TraceVariableCreationCheck::run(const CheckContext& C) {
  std::set<const Expr*> Seen;
  forEachReachableBody(C, [&](const Reachable& R, const FunctionDecl* Def) {
    Constructions V(C.Model);
    V.TraverseStmt(Def->getBody());
    if (auto* Ctor = dyn_cast<CXXConstructorDecl>(Def)) {
      for (const auto* Init : Ctor->inits()) {
        const Expr* E = Init->getInit();
        if (auto* D = dyn_cast_or_null<CXXDefaultInitExpr>(E)) E = D->getExpr();
        if (E) V.TraverseStmt(const_cast<Expr*>(E));
      }
    }
    ParentMap PM(Def->getBody());
    // An allocation is refused while recording however it is guarded: a create-once branch that
    // allocates on the first recording fails on that very recording.
    for (const auto& [E, Name] : V.Allocations) {
      auto Message = packMessage(C, *R.Root, "call", Name);
      if (!Message || !C.Model.inRegion(R, E) || !Seen.insert(E).second) continue;
      auto F = tracedFinding(C, E->getBeginLoc(), *R.Root, locationString(C, E->getBeginLoc()), *Message);
      addTracePathNotes(C, R, F);
      C.Report(std::move(F));
    }
    for (const auto* E : V.Found) {
      if (V.StaticInits.count(E) || !C.Model.inRegion(R, E)) continue;
      bool Guarded = false;
      for (const Stmt *P = PM.getParent(E), *Child = E; P && !Guarded; Child = P, P = PM.getParent(P)) {
        if (auto* If = dyn_cast<IfStmt>(P); If && If->getThen() == Child && readsOuterState(If->getCond(), Def))
          Guarded = true;
      }
      // Once per construction: another root may reach the same code unguarded.
      if (Guarded || reachedOnlyOnce(C.Model, R) || !Seen.insert(E).second) continue;
      std::string Type = E->getType().getUnqualifiedType().getAsString(C.Ctx.getPrintingPolicy());
      auto Message = packMessage(C, *R.Root, "", Type);
      if (!Message) continue;
      auto F = tracedFinding(C, E->getBeginLoc(), *R.Root, locationString(C, E->getBeginLoc()), *Message);
      addTracePathNotes(C, R, F);
      C.Report(std::move(F));
    }
  });
}

}  // namespace tracelint
