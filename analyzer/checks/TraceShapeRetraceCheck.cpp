// Calls of a traced function in a loop whose tensor arguments are built with shapes that vary
// from iteration to iteration (a shape parameter fed by the loop variable or by an integer the
// loop changes), for a function without input_signature or reduce_retracing: every new shape traces.
#include "checks/TraceShapeRetraceCheck.h"

#include "checks/CheckUtil.h"
#include "clang/AST/ExprCXX.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceShapeRetraceCheck> Registration("trace-shape-retrace");

// The loop-varying integer a tensor argument's shape is computed from. The search follows only
// what can carry a shape: integers, integer containers and initializer lists, tensors (through
// the ops that make them; of a shape function only its shape parameters), and loop-local
// variables to their initializers. Data values (`from_vector(values, {3})`) and sizes read from
// containers (`std::ssize(row)`) are not followed: whether a container's size differs from one
// iteration to the next is not known here, and the check stays silent rather than guess.
class VaryingShape {
 public:
  VaryingShape(const TracedRegionModel& M, const std::set<const ValueDecl*>& Varying, const Stmt* Loop,
               const SourceManager& SM)
      : M(M), Varying(Varying), Loop(Loop), SM(SM) {}
  const Expr* Found = nullptr;
  const Expr* FoundIn = nullptr;  // the shape argument that uses it

  void search(const Expr* E, const Expr* ShapeArg = nullptr, int Depth = 0) {
    if (Found || !E || Depth > 24 || !carriesShape(E->getType())) return;
    E = E->IgnoreParens();
    if (isa<LambdaExpr>(E)) return;
    if (const auto* Ref = dyn_cast<DeclRefExpr>(E)) {
      const auto* VD = dyn_cast<VarDecl>(Ref->getDecl());
      if (!VD) return;
      if (Varying.count(VD) && VD->getType()->isIntegralOrEnumerationType()) {
        Found = Ref;
        FoundIn = ShapeArg ? ShapeArg : Ref;
      } else if (VD->getInit() && Followed.insert(VD).second && declaredWithin(VD, Loop, SM)) {
        search(VD->getInit(), ShapeArg, Depth + 1);
      }
      return;
    }
    if (const auto* ME = dyn_cast<MemberExpr>(E); ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) {
      if (Varying.count(ME->getMemberDecl()) && ME->getType()->isIntegralOrEnumerationType()) {
        Found = ME;
        FoundIn = ShapeArg ? ShapeArg : ME;
      }
      return;
    }
    if (const auto* Call = dyn_cast<CallExpr>(E); Call && Call->getDirectCallee()) {
      const auto* FD = Call->getDirectCallee();
      bool Shape = M.isShapeFunction(FD);
      bool MakesTensor = M.isSymbolicTensorType(E->getType());
      unsigned Offset = isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD) ? 1 : 0;
      for (unsigned I = 0; I < Call->getNumArgs() && !Found; ++I) {
        const Expr* A = Call->getArg(I);
        bool Tensor = M.isSymbolicTensorType(A->getType());
        if (Shape && I >= Offset && M.isShapeParameter(FD, I - Offset))
          search(A, A, Depth + 1);
        else if (Tensor || !MakesTensor)
          search(A, ShapeArg, Depth + 1);  // an op's shape follows its operands'
      }
      if (const auto* MC = dyn_cast<CXXMemberCallExpr>(Call))
        search(MC->getImplicitObjectArgument(), ShapeArg, Depth + 1);
      return;
    }
    for (const Stmt* Child : E->children())
      if (const auto* CE = dyn_cast_or_null<Expr>(Child)) search(CE, ShapeArg, Depth + 1);
  }

 private:
  // Integers, tensors, and containers or arrays of integers; not data (floats) or other objects.
  bool carriesShape(QualType T) const {
    T = T.getNonReferenceType().getCanonicalType();
    if (T->isIntegralOrEnumerationType() && !T->isEnumeralType()) return true;
    if (M.isSymbolicTensorType(T)) return true;
    if (const auto* A = dyn_cast<ArrayType>(T.getTypePtr())) return carriesShape(A->getElementType());
    const auto* Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl());
    return Spec && Spec->getTemplateArgs().size() > 0 &&
           Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
           Spec->getTemplateArgs()[0].getAsType()->isIntegralOrEnumerationType() &&
           !Spec->getTemplateArgs()[0].getAsType()->isEnumeralType();
  }

  const TracedRegionModel& M;
  const std::set<const ValueDecl*>& Varying;
  const Stmt* Loop;
  const SourceManager& SM;
  std::set<const VarDecl*> Followed;
};

// The tensors of a braced list passed for a container of tensors (`f({x, y})`), or none.
std::vector<const Expr*> tensorList(const TracedRegionModel& M, const Expr* Arg) {
  std::vector<const Expr*> Out;
  const Expr* E = Arg;
  for (int Guard = 0; E && Guard < 8; ++Guard) {
    E = E->IgnoreImplicit();
    if (const auto* M2 = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M2->getSubExpr();
    else if (const auto* B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto* L = dyn_cast<CXXStdInitializerListExpr>(E))
      E = L->getSubExpr();
    else if (const auto* C = dyn_cast<CXXConstructExpr>(E); C && C->getNumArgs() >= 1 && !isa<InitListExpr>(E))
      E = C->getArg(0);
    else
      break;
  }
  if (const auto* IL = dyn_cast_or_null<InitListExpr>(E))
    for (const auto* Init : IL->inits())
      if (M.isSymbolicTensorType(Init->getType())) Out.push_back(Init);
  return Out;
}
}  // namespace

void TraceShapeRetraceCheck::run(const CheckContext& C) {
  const auto& SM = C.Ctx.getSourceManager();
  for (const auto& Call : C.Model.tracedCalls()) {
    if (!Call.Loop || Call.Root->HasRetraceOptions || Call.Kind != TracedCall::CallKind::Call) continue;
    auto Varying = loopVarying(Call.Loop);
    // Arguments of operator(): argument 0 is the function object itself.
    for (unsigned I = 1; I < Call.Call->getNumArgs(); ++I) {
      const Expr* Arg = Call.Call->getArg(I);
      // A list of tensors (MLX's compiled functions take std::vector<array>) is searched element by element.
      std::vector<std::pair<const Expr*, std::string>> Inputs;
      if (C.Model.isSymbolicTensorType(Arg->getType()))
        Inputs.emplace_back(Arg, "argument " + std::to_string(I - 1));
      else
        for (const auto* Element : tensorList(C.Model, Arg))
          Inputs.emplace_back(Element, "input " + std::to_string(Inputs.size()));
      const Expr *FoundIn = nullptr, *Found = nullptr;
      std::string Arg0;
      for (const auto& [Input, Name] : Inputs) {
        VaryingShape V(C.Model, Varying, Call.Loop, SM);
        V.search(Input);
        if (!V.Found) continue;
        Found = V.Found, FoundIn = V.FoundIn, Arg0 = Name, Arg = Input;
        break;
      }
      if (!Found) continue;
      auto Message = packMessage(C, *Call.Root, "", Arg0, nameOf(Found));
      if (!Message) break;
      auto F = tracedFinding(C, Arg->getSourceRange(), *Call.Root, Arg0, *Message);
      F.Notes.push_back({C.point(FoundIn->getBeginLoc()), "the shape is computed from '" + nameOf(Found) + "' here"});
      const auto* Entry = Call.Root->Entry;
      F.Notes.push_back(
          {C.point(Call.Root->EntryLoc),
           "'" + Call.Root->Name + "' is traced here" +
               (Entry && !Entry->RetraceOptions.empty() ? ", without " + Entry->RetraceOptions.front() : "")});
      C.Report(std::move(F));
      break;  // one finding per call; the runtime explains a retrace by its first changed argument
    }
  }
}

}  // namespace tracelint
