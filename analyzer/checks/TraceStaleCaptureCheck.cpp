// Host values a traced function reads are baked into its graph. A write to one of them in host code,
// after a call that traced the function and on a path to a later call of it (Clang's CFG answers
// both), leaves the graph with the old value. A value is read by the trace when the traced code
// names it (a capture, a global), when it is the object a captured pointer points to, or when it
// is passed by reference for a parameter the trace reads (the object's identity is the cache key,
// its contents are baked).
#include "checks/TraceStaleCaptureCheck.h"

#include <map>
#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "model/FlowGraph.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceStaleCaptureCheck> Registration("trace-stale-capture");

class StaleWrites {
 public:
  explicit StaleWrites(const CheckContext &C) : C(C) {}

  // Numbers, tensor handles, pointers (they select the object read at trace time) and containers
  // of numbers or tensors: what tracing turns into constants. State handles are read when the
  // graph runs.
  bool baked(QualType T) const {
    T = T.getNonReferenceType();
    if (C.Model.isStateHandleType(T)) return false;
    if (T->isArithmeticType() || T->isPointerType() || C.Model.isSymbolicTensorType(T)) return true;
    const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl());
    if (!Spec || Spec->getTemplateArgs().size() == 0 || Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type) return false;
    QualType Element = Spec->getTemplateArgs()[0].getAsType();
    return Element->isArithmeticType() || C.Model.isSymbolicTensorType(Element);
  }

  // Does the trace of Call read V's value? Read is set to where, when the traced code names it.
  bool reads(const TracedCall &Call, const VarDecl *V, const DeclRefExpr *&Read) {
    const auto &Reads = C.Model.readsOf(Call.Root);
    if (auto It = Reads.find(V); It != Reads.end()) {
      Read = It->second;
      return true;
    }
    for (const auto &[P, Ref] : Reads)
      if (P->getType()->isPointerType() && pointeesOf(P).count(V)) {
        Read = Ref;
        return true;
      }
    // Argument I + 1 of operator() is parameter I of the traced callable.
    const FunctionDecl *Callable = Call.Root->Callable;
    for (unsigned I = 1; I < Call.Call->getNumArgs() && I - 1 < Callable->getNumParams(); ++I) {
      const ParmVarDecl *P = Callable->getParamDecl(I - 1);
      QualType T = P->getType();
      if (!(T->isReferenceType() || T->isPointerType()) || C.Model.isSymbolicTensorType(T) || C.Model.isStateHandleType(T)) continue;
      const Expr *Arg = Call.Call->getArg(I)->IgnoreParenImpCasts();
      if (const auto *U = dyn_cast<UnaryOperator>(Arg); U && U->getOpcode() == UO_AddrOf) Arg = U->getSubExpr();
      if (baseVariable(Arg) != V) continue;
      for (const auto &[Param, Ref] : Reads)
        if (Param == P) {
          Read = Ref;
          return true;
        }
    }
    return false;
  }

 private:
  // The variables whose address a local pointer is given, in its initializer or by assignment in
  // its own function.
  const std::set<const VarDecl *> &pointeesOf(const VarDecl *P) {
    auto [It, Fresh] = Pointees.try_emplace(P);
    if (!Fresh) return It->second;
    auto Add = [&](const Expr *Value) {
      if (const auto *U = dyn_cast_or_null<UnaryOperator>(Value ? Value->IgnoreParenImpCasts() : nullptr);
          U && U->getOpcode() == UO_AddrOf)
        if (const VarDecl *Target = baseVariable(U->getSubExpr())) It->second.insert(Target);
    };
    Add(P->getInit());
    if (const auto *Owner = dyn_cast<FunctionDecl>(P->getDeclContext()); Owner && Owner->getBody())
      forEachWrite(Owner->getBody(), [&](const Expr *Target, const Expr *Write) {
        if (const auto *B = dyn_cast<BinaryOperator>(Write); B && B->getOpcode() == BO_Assign && baseVariable(Target) == P)
          Add(B->getRHS());
      });
    return It->second;
  }

  const CheckContext &C;
  std::map<const VarDecl *, std::set<const VarDecl *>> Pointees;
};
}  // namespace

void TraceStaleCaptureCheck::run(const CheckContext &C) {
  const auto &SM = C.Ctx.getSourceManager();
  std::map<const FunctionDecl *, std::vector<const TracedCall *>> ByCaller;
  for (const auto &Call : C.Model.tracedCalls())
    if (Call.Caller && Call.Caller->getBody()) ByCaller[Call.Caller].push_back(&Call);
  StaleWrites Stale(C);
  for (const auto &[Caller, Calls] : ByCaller) {
    FlowGraph Flow(Caller, C.Ctx);
    forEachWrite(Caller->getBody(), [&](const Expr *Target, const Expr *Write) {
      const VarDecl *V = baseVariable(Target);
      if (!V || !Stale.baked(Target->getType())) return;
      for (const TracedCall *Later : Calls) {
        const DeclRefExpr *Read = nullptr;
        if (Later->Loop && declaredWithin(V, Later->Loop, SM)) continue;  // a fresh variable every iteration
        if (!Stale.reads(*Later, V, Read) || Flow.reaches(Write, Later->Call) != FlowGraph::Answer::Yes) continue;
        // Only a value some earlier call of the same function baked can go stale.
        bool Traced = false;
        for (const TracedCall *Earlier : Calls) {
          const DeclRefExpr *Unused = nullptr;
          Traced |= Earlier->Root == Later->Root && Stale.reads(*Earlier, V, Unused) &&
                    Flow.reaches(Earlier->Call, Write) == FlowGraph::Answer::Yes;
        }
        if (!Traced) continue;
        std::string Name = V->getNameAsString(), Fn = Later->Root->Name;
        QualType T = Target->getType().getNonReferenceType();
        bool ByCopy = false;
        if (Later->Root->Lambda)
          for (const auto &Cap : Later->Root->Lambda->captures())
            if (Cap.capturesVariable() && Cap.getCapturedVar() == V && Cap.getCaptureKind() == LCK_ByCopy) ByCopy = true;
        auto F = tracedFinding(
            C, "trace-stale-capture", Target->getBeginLoc(), *Later->Root, Name,
            ByCopy ? "'" + Name + "' is changed here, but '" + Fn +
                         "' captured it by value: the lambda keeps the copy it made when it was created, and its graph "
                         "uses that copy. Pass the value as an argument instead"
            : C.Model.isSymbolicTensorType(T)
                ? "tensor '" + Name + "' is rebound here after '" + Fn +
                      "' traced it; the next call replays the graph with the tensor it saw while tracing. Keep it in a "
                      "tl::variable and assign to it, or pass it as an argument"
                : "'" + Name + "' is changed here, but '" + Fn +
                      "' baked its value into the graph when it was traced; later calls keep the old value. Pass it as a "
                      "tensor argument or keep it in a tl::variable");
        if (Read) F.Notes.push_back({C.point(Read->getLocation()), "'" + Name + "' is read while tracing '" + Fn + "' here"});
        F.Notes.push_back({C.point(Later->Call->getBeginLoc()), "'" + Fn + "' is called again here"});
        C.Report(std::move(F));
        break;  // one finding per write
      }
    });
  }
}

}  // namespace tracelint
