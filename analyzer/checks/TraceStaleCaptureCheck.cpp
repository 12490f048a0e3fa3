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
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "model/FlowGraph.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceStaleCaptureCheck> Registration("trace-stale-capture");

class StaleWrites {
 public:
  explicit StaleWrites(const CheckContext& C) : C(C) {}

  // Numbers, tensor handles, pointers (they select the object read at trace time) and containers
  // of numbers or tensors: what tracing turns into constants. State handles are read when the
  // graph runs.
  bool baked(QualType T) const {
    T = T.getNonReferenceType();
    if (C.Model.isStateHandleType(T)) return false;
    if (T->isArithmeticType() || T->isPointerType() || C.Model.isSymbolicTensorType(T)) return true;
    const auto* Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl());
    if (!Spec || Spec->getTemplateArgs().size() == 0 || Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
      return false;
    QualType Element = Spec->getTemplateArgs()[0].getAsType();
    return Element->isArithmeticType() || C.Model.isSymbolicTensorType(Element);
  }

  bool holdsTensors(QualType T) const {
    const auto* Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(T.getNonReferenceType()->getAsCXXRecordDecl());
    return Spec && Spec->getTemplateArgs().size() > 0 &&
           Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
           C.Model.isSymbolicTensorType(Spec->getTemplateArgs()[0].getAsType());
  }

  // Does the trace of Call read V's value? Read is set to where, when the traced code names it.
  bool reads(const TracedCall& Call, const VarDecl* V, const DeclRefExpr*& Read) {
    const auto& Reads = C.Model.readsOf(Call.Root);
    if (auto It = Reads.find(V); It != Reads.end()) {
      Read = It->second;
      return true;
    }
    for (const auto& [P, Ref] : Reads)
      if (P->getType()->isPointerType() && pointeesOf(P).count(V)) {
        Read = Ref;
        return true;
      }
    // Argument I + 1 of operator() is parameter I of the traced callable; a replay has no arguments
    // of the recorded code.
    if (Call.Kind != TracedCall::CallKind::Call) return false;
    const FunctionDecl* Callable = Call.Root->Callable;
    for (unsigned I = 1; I < Call.Call->getNumArgs() && I - 1 < Callable->getNumParams(); ++I) {
      const ParmVarDecl* P = Callable->getParamDecl(I - 1);
      QualType T = P->getType();
      // Tensors, and containers of them, are the traced inputs: their values are not baked.
      if (!(T->isReferenceType() || T->isPointerType()) || C.Model.isSymbolicTensorType(T) ||
          C.Model.isStateHandleType(T) || holdsTensors(T))
        continue;
      const Expr* Arg = Call.Call->getArg(I)->IgnoreParenImpCasts();
      if (const auto* U = dyn_cast<UnaryOperator>(Arg); U && U->getOpcode() == UO_AddrOf) Arg = U->getSubExpr();
      if (baseVariable(Arg) != V) continue;
      for (const auto& [Param, Ref] : Reads)
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
  const std::set<const VarDecl*>& pointeesOf(const VarDecl* P) {
    auto [It, Fresh] = Pointees.try_emplace(P);
    if (!Fresh) return It->second;
    auto Add = [&](const Expr* Value) {
      if (const auto* U = dyn_cast_or_null<UnaryOperator>(Value ? Value->IgnoreParenImpCasts() : nullptr);
          U && U->getOpcode() == UO_AddrOf)
        if (const VarDecl* Target = baseVariable(U->getSubExpr())) It->second.insert(Target);
    };
    Add(P->getInit());
    if (const auto* Owner = dyn_cast<FunctionDecl>(P->getDeclContext()); Owner && Owner->getBody())
      forEachWrite(Owner->getBody(), [&](const Expr* Target, const Expr* Write) {
        if (const auto* B = dyn_cast<BinaryOperator>(Write);
            B && B->getOpcode() == BO_Assign && baseVariable(Target) == P)
          Add(B->getRHS());
      });
    return It->second;
  }

  const CheckContext& C;
  std::map<const VarDecl*, std::set<const VarDecl*>> Pointees;
};

// Calls in one host function that record a capture or change a recorded graph: for a capture
// region, what happened before the write (the recording) and what may come between the write and
// the replay (a parameter update or a new recording) both show in calls.
struct CaptureEvents : RecursiveASTVisitor<CaptureEvents> {
  const TracedRoot& Root;
  std::vector<const Stmt*> Recordings, Updates;
  explicit CaptureEvents(const TracedRoot& R) : Root(R) {}
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  bool VisitCallExpr(CallExpr* E) {
    const auto* FD = E->getDirectCallee();
    if (!FD) return true;
    if (E == Root.BeginCall || FD->getCanonicalDecl() == Root.Callable->getCanonicalDecl()) Recordings.push_back(E);
    if (nameMatches(FD, Root.Capture->Update) || nameMatches(FD, Root.Capture->Instantiate) ||
        qualifiedNameOf(FD) == Root.Capture->Begin)
      Updates.push_back(E);
    return true;
  }
};

// For a replayed capture: was the value recorded before Write (the capture, or a call of the
// function holding it, reaches the write), and does every replay after it see an old graph (no
// update or new recording between the write and Later)?
bool staleForReplay(const TracedRoot& Root, const FunctionDecl* Caller, FlowGraph& Flow, const Expr* Write,
                    const Stmt* Later, const TracedRegionModel& M) {
  if (Root.Callable->getCanonicalDecl() == Caller->getCanonicalDecl() &&
      M.inRegion(Reachable{Root.Callable, &Root, {}}, Write))
    return false;  // written while recording: the capture sees the new value
  CaptureEvents Events(Root);
  Events.TraverseStmt(Caller->getBody());
  bool Recorded = false;
  for (const Stmt* R : Events.Recordings) Recorded |= Flow.reaches(R, Write) == FlowGraph::Answer::Yes;
  if (!Recorded) return false;
  for (const Stmt* U : Events.Updates)
    if (Flow.reaches(Write, U) == FlowGraph::Answer::Yes && Flow.reaches(U, Later) == FlowGraph::Answer::Yes)
      return false;
  return true;
}
}  // namespace

void TraceStaleCaptureCheck::run(const CheckContext& C) {
  const auto& SM = C.Ctx.getSourceManager();
  std::map<const FunctionDecl*, std::vector<const TracedCall*>> ByCaller;
  for (const auto& Call : C.Model.tracedCalls())
    if (Call.Caller && Call.Caller->getBody()) ByCaller[Call.Caller].push_back(&Call);
  StaleWrites Stale(C);
  for (const auto& [Caller, Calls] : ByCaller) {
    FlowGraph Flow(Caller, C.Ctx);
    forEachWrite(Caller->getBody(), [&](const Expr* Target, const Expr* Write) {
      const VarDecl* V = baseVariable(Target);
      if (!V || !Stale.baked(Target->getType())) return;
      // A capture records values passed by value and the addresses it was given; what those
      // addresses hold is read on every replay, so only the variable itself can go stale.
      bool Direct = isa<DeclRefExpr>(Target->IgnoreParenImpCasts());
      for (const TracedCall* Later : Calls) {
        const DeclRefExpr* Read = nullptr;
        if (Later->Loop && declaredWithin(V, Later->Loop, SM)) continue;  // a fresh variable every iteration
        if (Later->Kind == TracedCall::CallKind::Replay && !Direct) continue;
        if (!Stale.reads(*Later, V, Read) || Flow.reaches(Write, Later->Call) != FlowGraph::Answer::Yes) continue;
        // Only a value some earlier call of the same function baked can go stale.
        bool Traced = false;
        if (Later->Kind == TracedCall::CallKind::Replay) {
          Traced = staleForReplay(*Later->Root, Caller, Flow, cast<Expr>(Write), Later->Call, C.Model);
        } else {
          for (const TracedCall* Earlier : Calls) {
            const DeclRefExpr* Unused = nullptr;
            Traced |= Earlier->Root == Later->Root && Stale.reads(*Earlier, V, Unused) &&
                      Flow.reaches(Earlier->Call, Write) == FlowGraph::Answer::Yes;
          }
        }
        if (!Traced) continue;
        std::string Name = V->getNameAsString(), Fn = Later->Root->Name;
        QualType T = Target->getType().getNonReferenceType();
        bool ByCopy = false;
        if (Later->Root->Lambda)
          for (const auto& Cap : Later->Root->Lambda->captures())
            if (Cap.capturesVariable() && Cap.getCapturedVar() == V && Cap.getCaptureKind() == LCK_ByCopy)
              ByCopy = true;
        auto Message = packMessage(C, *Later->Root,
                                   ByCopy                            ? "by-copy"
                                   : C.Model.isSymbolicTensorType(T) ? "tensor"
                                                                     : "",
                                   Name);
        if (!Message) continue;
        auto F = tracedFinding(C, Target->getBeginLoc(), *Later->Root, Name, *Message);
        if (Read)
          F.Notes.push_back({C.point(Read->getLocation()),
                             "'" + Name + "' is read while " +
                                 (Later->Root->isCapture() ? "capturing on '" : "tracing '") + Fn + "' here"});
        F.Notes.push_back({C.point(Later->Call->getBeginLoc()), Later->Kind == TracedCall::CallKind::Replay
                                                                    ? "the graph is replayed here"
                                                                    : "'" + Fn + "' is called again here"});
        C.Report(std::move(F));
        break;  // one finding per write
      }
    });
  }
}

}  // namespace tracelint
