// Calls of a traced function in a loop whose tensor arguments are built with shapes that vary
// from iteration to iteration (a shape function fed by the loop variable or by a value the loop
// changes), for a function without input_signature or reduce_retracing: every new shape traces.
#include "checks/TraceShapeRetraceCheck.h"

#include "checks/CheckUtil.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceShapeRetraceCheck> Registration("trace-shape-retrace");

// A call of a shape function inside E (following loop-local variables to their initializers)
// whose non-tensor arguments use a loop-varying value; returns that varying reference.
class VaryingShape : public RecursiveASTVisitor<VaryingShape> {
 public:
  VaryingShape(const TracedRegionModel &M, const std::set<const ValueDecl *> &Varying, const Stmt *Loop, const SourceManager &SM)
      : M(M), Varying(Varying), Loop(Loop), SM(SM) {}
  const Expr *Found = nullptr;
  const CallExpr *FoundCall = nullptr;
  int Depth = 0;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *E) {
    if (Found) return false;
    const auto *FD = E->getDirectCallee();
    if (!M.isShapeFunction(FD)) return true;
    bool Scalars = nameMatches(FD, M.pack().ShapeFromScalarArgs);
    for (unsigned I = 0; I < E->getNumArgs(); ++I) {
      const Expr *A = E->getArg(I);
      if (M.isSymbolicTensorType(A->getType())) continue;
      // Shapes come in containers (a value, a seed or a dtype does not change the shape), except
      // for functions whose scalar arguments make the shape (arange).
      QualType P = I < FD->getNumParams() ? FD->getParamDecl(I)->getType().getNonReferenceType() : A->getType();
      if (!Scalars && (P->isArithmeticType() || P->isEnumeralType())) continue;
      if (auto *R = referenceTo(A, Varying)) {
        Found = R;
        FoundCall = E;
        return false;
      }
    }
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    auto *VD = dyn_cast<VarDecl>(E->getDecl());
    if (Found || !VD || Depth > 4 || !VD->getInit() || !declaredWithin(VD, Loop, SM)) return true;
    ++Depth;
    TraverseStmt(const_cast<Expr *>(VD->getInit()));
    --Depth;
    return !Found;
  }

 private:
  const TracedRegionModel &M;
  const std::set<const ValueDecl *> &Varying;
  const Stmt *Loop;
  const SourceManager &SM;
};
}  // namespace

void TraceShapeRetraceCheck::run(const CheckContext &C) {
  const auto &SM = C.Ctx.getSourceManager();
  for (const auto &Call : C.Model.tracedCalls()) {
    if (!Call.Loop || Call.Root->HasRetraceOptions) continue;
    auto Varying = loopVarying(Call.Loop);
    // Arguments of operator(): argument 0 is the function object itself.
    for (unsigned I = 1; I < Call.Call->getNumArgs(); ++I) {
      const Expr *Arg = Call.Call->getArg(I);
      if (!C.Model.isSymbolicTensorType(Arg->getType())) continue;
      VaryingShape V(C.Model, Varying, Call.Loop, SM);
      V.TraverseStmt(const_cast<Expr *>(Arg));
      if (!V.Found) continue;
      std::string Arg0 = "argument " + std::to_string(I - 1);
      auto F = tracedFinding(C, "trace-shape-retrace", Arg->getBeginLoc(), *Call.Root, Arg0,
                             Arg0 + " of '" + Call.Root->Name + "' changes shape from iteration to iteration (its shape uses '" +
                                 nameOf(V.Found) +
                                 "'), so each new shape traces the function again; give it an input_signature with "
                                 "unknown dimensions (-1), or set reduce_retracing");
      F.Notes.push_back({C.point(V.FoundCall->getBeginLoc()), "the shape is computed from '" + nameOf(V.Found) + "' here"});
      F.Notes.push_back({C.point(Call.Root->EntryLoc), "'" + Call.Root->Name + "' is traced here, without input_signature"});
      C.Report(std::move(F));
      break;  // one finding per call; the runtime explains a retrace by its first changed argument
    }
  }
}

}  // namespace tracelint
