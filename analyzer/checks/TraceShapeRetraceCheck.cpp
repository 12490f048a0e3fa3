// Calls of a traced function in a loop whose tensor arguments are built with shapes that vary
// from iteration to iteration (a shape parameter fed by the loop variable or by an integer the
// loop changes), for a function without input_signature or reduce_retracing: every new shape traces.
#include "checks/TraceShapeRetraceCheck.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>

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
               const ASTContext& Ctx)
      : M(M), Varying(Varying), Loop(Loop), Ctx(Ctx), SM(Ctx.getSourceManager()) {}
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
      // A range whose start and stop move together (arange(10 * e, 10 * e + 10)) keeps its length.
      std::set<unsigned> SameLength;
      if (auto Range = M.rangeParameters(FD); Range && Offset == 0 && (*Range)[2] < Call->getNumArgs() + 1) {
        auto Start = linear(Call->getArg((*Range)[0])), Stop = linear(Call->getArg((*Range)[1]));
        std::optional<Linear> Step = (*Range)[2] < Call->getNumArgs() ? linear(Call->getArg((*Range)[2])) : Linear{};
        if (Start && Stop && Step && Step->Terms.empty() && Start->Terms == Stop->Terms)
          SameLength = {(*Range)[0], (*Range)[1]};
      }
      for (unsigned I = 0; I < Call->getNumArgs() && !Found; ++I) {
        if (SameLength.count(I)) continue;
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

  // An integer expression as a sum of loop-varying variables with integer coefficients and a
  // constant, following loop-local variables to their initializers; none when it is anything else
  // (a call, a division, a product of two variables). Invariant variables are constants here: only
  // how the expression moves from one iteration to the next matters.
  struct Linear {
    std::map<const ValueDecl*, std::int64_t> Terms;
    bool operator==(const Linear&) const = default;
  };
  std::optional<Linear> linear(const Expr* E, int Depth = 0) const {
    if (!E || Depth > 16) return std::nullopt;
    E = E->IgnoreParenImpCasts();
    if (const auto* Default = dyn_cast<CXXDefaultArgExpr>(E)) return linear(Default->getExpr(), Depth + 1);
    if (Expr::EvalResult Constant; E->EvaluateAsInt(Constant, Ctx)) return Linear{};
    if (const auto* Ref = dyn_cast<DeclRefExpr>(E)) {
      const auto* VD = dyn_cast<VarDecl>(Ref->getDecl());
      if (!VD) return Linear{};  // an enumerator
      if (Varying.count(VD)) return Linear{{{VD, 1}}};
      if (VD->getInit() && declaredWithin(VD, Loop, SM)) return linear(VD->getInit(), Depth + 1);
      return Linear{};  // invariant across iterations
    }
    if (const auto* U = dyn_cast<UnaryOperator>(E); U && (U->getOpcode() == UO_Minus || U->getOpcode() == UO_Plus)) {
      auto L = linear(U->getSubExpr(), Depth + 1);
      if (L && U->getOpcode() == UO_Minus)
        for (auto& [V, K] : L->Terms)
          if (__builtin_sub_overflow(std::int64_t{0}, K, &K)) return std::nullopt;
      return L;
    }
    const auto* B = dyn_cast<BinaryOperator>(E);
    if (!B) return std::nullopt;
    auto L = linear(B->getLHS(), Depth + 1), R = linear(B->getRHS(), Depth + 1);
    if (!L || !R) return std::nullopt;
    // Coefficients that overflow (absurd literals) make the expression unknown, never undefined.
    auto Combine = [&](int Sign) -> std::optional<Linear> {
      for (const auto& [V, K] : R->Terms) {
        auto& Sum = L->Terms[V];
        if (Sign > 0 ? __builtin_add_overflow(Sum, K, &Sum) : __builtin_sub_overflow(Sum, K, &Sum)) return std::nullopt;
        if (Sum == 0) L->Terms.erase(V);
      }
      return L;
    };
    if (B->getOpcode() == BO_Add) return Combine(1);
    if (B->getOpcode() == BO_Sub) return Combine(-1);
    if (B->getOpcode() == BO_Mul) {
      // Scaled by a literal: the same scale moves start and stop alike.
      const auto* Other = L->Terms.empty() ? B->getLHS() : R->Terms.empty() ? B->getRHS() : nullptr;
      Expr::EvalResult Value;
      if (!Other || !Other->EvaluateAsInt(Value, Ctx)) return L->Terms.empty() && R->Terms.empty() ? L : std::nullopt;
      auto Scale = Value.Val.getInt().getExtValue();
      auto& Varied = L->Terms.empty() ? R : L;
      for (auto& [V, K] : Varied->Terms)
        if (__builtin_mul_overflow(K, Scale, &K)) return std::nullopt;
      return Varied;
    }
    return L->Terms.empty() && R->Terms.empty() ? L : std::nullopt;
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
  const ASTContext& Ctx;
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
        VaryingShape V(C.Model, Varying, Call.Loop, C.Ctx);
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
