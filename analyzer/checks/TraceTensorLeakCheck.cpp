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

// Names the state that outlives the call when E is rooted in it, else "".
std::string outerState(const Expr *E, const FunctionDecl *Fn) {
  for (int Guard = 0; E && Guard < 32; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (auto *ME = dyn_cast<MemberExpr>(E)) {
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) {
        if (auto *M = dyn_cast<CXXMethodDecl>(Fn); M && M->getParent()->isLambda()) return "";
        return "member '" + ME->getMemberDecl()->getNameAsString() + "'";
      }
      E = ME->getBase();
      continue;
    }
    break;
  }
  const VarDecl *V = baseVariable(E);
  if (!V) return "";
  if (V->hasGlobalStorage()) return (V->isStaticLocal() ? "static local '" : "global '") + V->getNameAsString() + "'";
  if (V->isLocalVarDeclOrParm() && cast<Decl>(V->getDeclContext())->getCanonicalDecl() != Fn->getCanonicalDecl() &&
      !V->isInitCapture())
    return "'" + V->getNameAsString() + "' (captured)";
  return "";
}

class Leaks : public RecursiveASTVisitor<Leaks> {
 public:
  Leaks(const TracedRegionModel &M, const FunctionDecl *Fn) : M(M), Fn(Fn) {}
  std::vector<std::pair<const Expr *, std::string>> Found;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *E) {
    if (E->getOperator() == OO_Equal && E->getNumArgs() == 2 && M.isSymbolicTensorType(E->getArg(0)->getType()))
      if (auto S = outerState(E->getArg(0), Fn); !S.empty()) Found.emplace_back(E->getArg(0), S);
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *E) {
    auto *MD = E->getMethodDecl();
    if (!MD || MD->isConst() || M.isSymbolicTensorType(E->getImplicitObjectArgument()->getType()) ||
        M.isStateHandleType(E->getImplicitObjectArgument()->getType()))
      return true;
    // A user method whose body is visible is analyzed where it stores the tensor.
    if (MD->hasBody() && !Fn->getASTContext().getSourceManager().isInSystemHeader(MD->getLocation())) return true;
    for (unsigned I = 0; I < E->getNumArgs(); ++I) {
      if (!M.isSymbolicTensorType(E->getArg(I)->getType())) continue;
      if (auto S = outerState(E->getImplicitObjectArgument(), Fn); !S.empty()) {
        Found.emplace_back(E->getImplicitObjectArgument(), S + " (through '" + MD->getNameAsString() + "')");
        break;
      }
    }
    return true;
  }

 private:
  const TracedRegionModel &M;
  const FunctionDecl *Fn;
};
}  // namespace

void TraceTensorLeakCheck::run(const CheckContext &C) {
  std::set<const Expr *> Seen;
  forEachReachableBody(C, [&](const Reachable &R, const FunctionDecl *Def) {
    Leaks V(C.Model, Def);
    V.TraverseStmt(Def->getBody());
    for (const auto &[E, What] : V.Found) {
      if (!Seen.insert(E).second) continue;
      auto F = tracedFinding(C, "trace-tensor-leak", E->getBeginLoc(), *R.Root, "",
                             "a tensor computed while tracing '" + R.Root->Name + "' is stored into " + What +
                                 ", which outlives the trace: it is symbolic and unusable after the trace ends. Return it "
                                 "from the traced function, or assign it to a tl::variable");
      addTracePathNotes(C, R, F);
      C.Report(std::move(F));
    }
  });
}

}  // namespace tracelint
