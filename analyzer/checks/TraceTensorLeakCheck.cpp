// A tensor stored, while tracing, into state that outlives the trace: a global, a captured
// variable, a member of `this`, or a container among those. Inside a trace the tensor is symbolic;
// after the trace it is unusable (the runtime throws [trace-tensor-leak] at its first use).
#include "checks/TraceTensorLeakCheck.h"

#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceTensorLeakCheck> Registration("trace-tensor-leak");

// Names the state that outlives the call when E is rooted in it, else "". A helper's reference
// parameter stands for what the calls made while tracing pass for it.
std::string outerState(const TracedRegionModel& Model, const Expr* E, const Reachable& R, int Depth = 0) {
  const FunctionDecl* Fn = R.Fn;
  for (int Guard = 0; E && Guard < 32; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (auto* ME = dyn_cast<MemberExpr>(E)) {
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) {
        if (auto* M = dyn_cast<CXXMethodDecl>(Fn); M && M->getParent()->isLambda()) return "";
        if (thisIsTraceLocal(Model, R)) return "";
        return "member '" + ME->getMemberDecl()->getNameAsString() + "'";
      }
      E = ME->getBase();
      continue;
    }
    break;
  }
  const VarDecl* V = baseVariable(E);
  if (!V) return "";
  std::string Passed;
  auto ThroughParameter = [&](const Expr* Arg, const Reachable& Caller) {
    if (Passed.empty() && Depth < 4) Passed = outerState(Model, Arg, Caller, Depth + 1);
  };
  if (forEachArgumentFor(Model, V, R, ThroughParameter))
    return Passed.empty() ? "" : Passed + " (through parameter '" + V->getNameAsString() + "')";
  if (V->hasGlobalStorage()) return (V->isStaticLocal() ? "static local '" : "global '") + V->getNameAsString() + "'";
  if (V->isLocalVarDeclOrParm() && cast<Decl>(V->getDeclContext())->getCanonicalDecl() != Fn->getCanonicalDecl() &&
      !V->isInitCapture() && !isTraceLocal(V, R))
    return "'" + V->getNameAsString() + "' (captured)";
  return "";
}

class Leaks : public RecursiveASTVisitor<Leaks> {
 public:
  Leaks(const TracedRegionModel& M, const Reachable& R) : M(M), R(R), Fn(R.Fn) {}
  std::vector<std::pair<const Expr*, std::string>> Found;
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr* E) {
    if (E->getOperator() == OO_Equal && E->getNumArgs() == 2 && M.isSymbolicTensorType(E->getArg(0)->getType()))
      if (auto S = outerState(M, E->getArg(0), R); !S.empty()) Found.emplace_back(E->getArg(0), S);
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr* E) {
    auto* MD = E->getMethodDecl();
    if (!MD || MD->isConst() || M.isSymbolicTensorType(E->getImplicitObjectArgument()->getType()) ||
        M.isStateHandleType(E->getImplicitObjectArgument()->getType()))
      return true;
    // A user method whose body is visible is analyzed where it stores the tensor.
    if (M.runsVisibleCode(MD)) return true;
    if (holdsStateHandles(E->getImplicitObjectArgument()->getType())) return true;
    for (unsigned I = 0; I < E->getNumArgs(); ++I) {
      if (!M.isSymbolicTensorType(E->getArg(I)->getType())) continue;
      if (auto S = outerState(M, E->getImplicitObjectArgument(), R); !S.empty()) {
        Found.emplace_back(E->getImplicitObjectArgument(), S + " (through '" + MD->getNameAsString() + "')");
        break;
      }
    }
    return true;
  }

 private:
  // A container of state handles (`std::vector<tl::variable>`) makes a new handle from the tensor
  // it is given (emplace_back(x) creates a variable initialized from x): the tensor is not kept.
  bool holdsStateHandles(QualType T) const {
    const auto* Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(T.getNonReferenceType()->getAsCXXRecordDecl());
    if (!Spec || Spec->getTemplateArgs().size() == 0 || Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
      return false;
    return M.isStateHandleType(Spec->getTemplateArgs()[0].getAsType());
  }

  const TracedRegionModel& M;
  const Reachable& R;
  const FunctionDecl* Fn;
};
}  // namespace

void TraceTensorLeakCheck::run(const CheckContext& C) {
  std::set<const Expr*> Seen;
  forEachReachableBody(C, [&](const Reachable& R, const FunctionDecl* Def) {
    Leaks V(C.Model, R);
    V.TraverseStmt(Def->getBody());
    for (const auto& [E, What] : V.Found) {
      auto Message = packMessage(C, *R.Root, "", What);
      if (!Message || !C.Model.inRegion(R, E) || !Seen.insert(E).second) continue;
      auto F = tracedFinding(C, E->getBeginLoc(), *R.Root, "", *Message);
      addTracePathNotes(C, R, F);
      C.Report(std::move(F));
    }
  });
}

}  // namespace tracelint
