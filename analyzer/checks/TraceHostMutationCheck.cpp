// What counts as host state, and what does not:
//  - written: globals, static locals, static members, thread_locals, variables captured by
//    reference, the closure's own by-copy captures (they persist in the function object), members
//    of `this` in a traced member function or a lambda capturing `this`, and anything reached
//    through them (members, elements, pointees, non-const member calls such as push_back or an
//    atomic's store);
//  - written through a helper's reference or pointer parameter: whatever each call made while
//    tracing passes for it, classified in the caller;
//  - not written: the trace's own locals and parameters (also when a nested lambda writes them
//    through its captures), state handles of the selected packs (their mutations are graph
//    operations), and writes in a create-once branch (`if (!layer) layer = ...`): that branch runs
//    on the first trace only, which is what its author asked for.
#include "checks/TraceHostMutationCheck.h"

#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace tracelint {

using namespace clang;

namespace {

CheckRegistration<TraceHostMutationCheck> Registration("trace-host-mutation");

struct Target {
  std::string Entity;  // qualified name for joining with runtime reports
  std::string Kind;    // "global variable", "static local", ...
  std::string Shown;   // how the message names it
  std::string Via;     // the helper parameters it was written through, if any
};

std::optional<LambdaCaptureKind> captureKindOf(const FunctionDecl* Fn, const VarDecl* VD) {
  const auto* M = dyn_cast<CXXMethodDecl>(Fn);
  if (!M || !M->getParent()->isLambda()) return std::nullopt;
  for (const auto& Cap : M->getParent()->captures()) {
    if (Cap.capturesVariable() && Cap.getCapturedVar() == VD) return Cap.getCaptureKind();
  }
  // Captured implicitly by an enclosing lambda's default: treat like the default of this one.
  auto Default = M->getParent()->getLambdaCaptureDefault();
  if (Default == LCD_ByRef) return LCK_ByRef;
  if (Default == LCD_ByCopy) return LCK_ByCopy;
  return std::nullopt;
}

class WriteFinder : public RecursiveASTVisitor<WriteFinder> {
 public:
  WriteFinder(const CheckContext& C, const Reachable& R, const Stmt* Body)
      : C(C), R(R), Body(Body), Parents(const_cast<Stmt*>(Body)) {}
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }  // separate function, analyzed when reached

  bool VisitBinaryOperator(BinaryOperator* B) {
    if (B->isAssignmentOp()) written(B, B->getLHS(), B->getOperatorLoc(), "assigned");
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator* U) {
    if (U->isIncrementDecrementOp())
      written(U, U->getSubExpr(), U->getOperatorLoc(), U->isIncrementOp() ? "incremented" : "decremented");
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr* E) {
    auto Op = E->getOperator();
    bool Assigning = E->isAssignmentOp() || Op == OO_PlusPlus || Op == OO_MinusMinus;
    if (Assigning && E->getNumArgs() > 0) written(E, E->getArg(0), E->getOperatorLoc(), "assigned");
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr* E) {
    const auto* M = E->getMethodDecl();
    const Expr* Obj = E->getImplicitObjectArgument();
    if (!Obj || !mutatesObject(M) || C.Model.isStateHandleType(Obj->getType())) return true;
    // A user method whose body is visible is analyzed where it writes; only opaque or library
    // methods (push_back, an atomic's store) count as a write at the call.
    if (C.Model.runsVisibleCode(M)) return true;
    written(E, Obj, E->getExprLoc(), "changed by '" + M->getNameAsString() + "()'");
    return true;
  }

 private:
  // The host state E is rooted in, seen from the function of Frame; several targets when E is a
  // helper's reference parameter and the helper is called with several arguments.
  std::vector<Target> classify(const Expr* E, const Reachable& Frame, int Depth = 0) {
    for (int Guard = 0; E && Guard < 32; ++Guard) {
      E = E->IgnoreParenImpCasts();
      if (C.Model.isStateHandleType(E->getType())) return {};
      if (auto* ME = dyn_cast<MemberExpr>(E)) {
        if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) {
          std::string Name = ME->getMemberDecl()->getNameAsString();
          const auto* M = dyn_cast<CXXMethodDecl>(Frame.Fn);
          std::string Owner = M ? qualifiedNameOf(M->getParent()) : "";
          if (M && M->getParent()->isLambda()) return {};  // closure fields are captures, handled below
          if (thisIsTraceLocal(C.Model, Frame)) return {};
          return {Target{Owner.empty() ? Name : Owner + "::" + Name, "member of 'this'", "member '" + Name + "'"}};
        }
        if (auto* VDm = dyn_cast<VarDecl>(ME->getMemberDecl())) {  // static member through an object
          return {Target{qualifiedNameOf(VDm), "static member", "'" + qualifiedNameOf(VDm) + "'"}};
        }
        E = ME->getBase();
        continue;
      }
      if (auto* AS = dyn_cast<ArraySubscriptExpr>(E)) {
        E = AS->getBase();
        continue;
      }
      if (auto* U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_Deref) {
        E = U->getSubExpr();
        continue;
      }
      if (auto* OC = dyn_cast<CXXOperatorCallExpr>(E);
          OC && OC->getNumArgs() > 0 &&
          (OC->getOperator() == OO_Subscript || OC->getOperator() == OO_Star || OC->getOperator() == OO_Arrow)) {
        E = OC->getArg(0);
        continue;
      }
      if (auto* MC = dyn_cast<CXXMemberCallExpr>(E)) {  // v.at(i) = ..., v.back() = ...
        E = MC->getImplicitObjectArgument();
        continue;
      }
      if (auto* DRE = dyn_cast<DeclRefExpr>(E)) return classifyDecl(DRE, Frame, Depth);
      return {};
    }
    return {};
  }

  std::vector<Target> classifyDecl(const DeclRefExpr* DRE, const Reachable& Frame, int Depth) {
    const auto* VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || C.Model.isStateHandleType(VD->getType())) return {};
    std::vector<Target> Passed;
    auto ThroughParameter = [&](const Expr* Arg, const Reachable& Caller) {
      if (Depth >= 4) return;
      for (auto& T : classify(Arg, Caller, Depth + 1)) {
        T.Via = " through parameter '" + VD->getNameAsString() + "' of '" + qualifiedNameOf(Frame.Fn) + "'" + T.Via;
        Passed.push_back(std::move(T));
      }
    };
    if (forEachArgumentFor(C.Model, VD, Frame, ThroughParameter)) return Passed;
    std::string Name = VD->getNameAsString();
    if (VD->getTLSKind() != VarDecl::TLS_None)
      return {Target{qualifiedNameOf(VD), "thread_local", "thread_local '" + Name + "'"}};
    if (VD->isStaticLocal()) {
      std::string Fn = qualifiedNameOf(dyn_cast<NamedDecl>(VD->getDeclContext()));
      return {Target{Fn + "()::" + Name, "static local", "static local '" + Name + "'"}};
    }
    if (VD->isStaticDataMember())
      return {Target{qualifiedNameOf(VD), "static member", "static member '" + qualifiedNameOf(VD) + "'"}};
    if (VD->hasGlobalStorage())
      return {Target{qualifiedNameOf(VD), "global variable", "global '" + qualifiedNameOf(VD) + "'"}};
    if (VD->isInitCapture()) {  // [copy = 0]: a field of the closure, kept across calls
      if (VD->getType()->isReferenceType())
        return {Target{Name, "captured by reference", "'" + Name + "' (captured by reference)"}};
      return {Target{Name, "by-copy capture", "the lambda's copy of '" + Name + "'"}};
    }
    if (isTraceLocal(VD, Frame)) return {};
    if (VD->isLocalVarDeclOrParm() &&
        cast<Decl>(VD->getDeclContext())->getCanonicalDecl() != Frame.Fn->getCanonicalDecl()) {
      auto Kind = captureKindOf(Frame.Fn, VD);
      if (!Kind) return {};
      if (*Kind == LCK_ByRef) return {Target{Name, "captured by reference", "'" + Name + "' (captured by reference)"}};
      return {Target{Name, "by-copy capture", "the lambda's copy of '" + Name + "'"}};
    }
    return {};
  }

  void written(const Stmt* Write, const Expr* Lhs, SourceLocation Loc, const std::string& How) {
    const auto& SM = C.Ctx.getSourceManager();
    if (SM.isInSystemHeader(SM.getFileLoc(Loc)) || !C.Model.inRegion(R, Write) ||
        inCreateOnceBranch(Write, R.Fn, Parents) || endsTheProgram(Write, Body, C.Ctx))
      return;
    if (!OnlyOnce) OnlyOnce = reachedOnlyOnce(C.Model, R);
    if (*OnlyOnce) return;
    for (const auto& T : classify(Lhs, R)) report(T, Lhs, Loc, How);
  }

  void report(const Target& T, const Expr* Lhs, SourceLocation Loc, const std::string& How) {
    auto Message = packMessage(C, *R.Root, "", T.Shown + " is " + How + T.Via);
    if (!Message) return;
    Finding F;
    F.CheckId = C.CheckId;
    // Point at the written entity (its start), where a reader looks for it.
    F.Where = C.point(Lhs->getBeginLoc().isValid() ? Lhs->getBeginLoc() : Loc);
    F.End = C.endOf(Lhs->getBeginLoc().isValid() ? Lhs->getSourceRange() : SourceRange(Loc));
    F.TracedFunction = R.Root->Name;
    F.TracedFunctionLocation = tracedFunctionSite(C, *R.Root);
    F.Entity = T.Entity;
    F.Message = *Message;
    addTracePathNotes(C, R, F);
    C.Report(std::move(F));
  }

  const CheckContext& C;
  const Reachable& R;
  const Stmt* Body;
  ParentMap Parents;
  std::optional<bool> OnlyOnce;  // R's function runs only from create-once branches
};

// The file's share of the cross-file analysis: what each function it defines writes in static
// storage and calls, and the calls its traced regions make into functions defined elsewhere. Only
// static storage crosses files: captures and `this` belong to the calling file.
class SummaryRecorder : public RecursiveASTVisitor<SummaryRecorder> {
 public:
  SummaryRecorder(const CheckContext& C, FileSummaries& Out) : C(C), Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseDecl(Decl* D) {
    if (D && !isa<TranslationUnitDecl>(D) && !C.Ctx.getSourceManager().isInMainFile(D->getLocation())) return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitFunctionDecl(FunctionDecl* FD) {
    if (!FD->doesThisDeclarationHaveABody() || !FD->getBody()) return true;
    auto Usr = usrOf(FD);
    if (Usr.empty()) return true;
    FunctionSummary& S = Out.Functions[Usr];
    S.Name = qualifiedNameOf(FD);
    forEachWrite(FD->getBody(), [&](const Expr* Target, const Expr*) {
      const VarDecl* V = baseVariable(Target);
      if (!V || !V->hasGlobalStorage() || C.Model.isStateHandleType(V->getType())) return;
      std::string Kind = V->isStaticLocal() ? "static local" : V->isStaticDataMember() ? "static member" : "global";
      std::string Entity =
          V->isStaticLocal() ? qualifiedNameOf(dyn_cast<NamedDecl>(V->getDeclContext())) + "()::" + V->getNameAsString()
                             : qualifiedNameOf(V);
      S.Writes.push_back({C.point(Target->getBeginLoc()), Entity,
                          Kind + " '" + (V->isStaticLocal() ? V->getNameAsString() : Entity) + "'", "written"});
    });
    struct Calls : RecursiveASTVisitor<Calls> {
      std::vector<const FunctionDecl*> Found;
      bool TraverseLambdaExpr(LambdaExpr*) { return true; }
      bool VisitCallExpr(CallExpr* E) {
        if (auto* F = E->getDirectCallee()) Found.push_back(F);
        return true;
      }
    } Cs;
    Cs.TraverseStmt(FD->getBody());
    for (const auto* Callee : Cs.Found)
      if (auto U = usrOf(Callee); !U.empty()) S.Callees.push_back(U);
    return true;
  }

  void recordOpenCalls() {
    for (const auto& Open : C.Model.openCalls()) {
      const TracedRoot& Root = *Open.From->Root;
      if (!Root.Messages) continue;
      auto Template = Root.Messages->find(C.CheckId);
      if (Template == Root.Messages->end()) continue;  // the rule does not apply to this API
      OpenCall O;
      O.CheckId = C.CheckId;
      // {subject} stays for the resolver, which knows what is written.
      O.Message = fillMessage(Template->second, "{subject}", Root.Name);
      O.CalleeUsr = usrOf(Open.Callee);
      if (O.CalleeUsr.empty()) continue;
      O.CalleeName = qualifiedNameOf(Open.Callee);
      O.TracedFunction = Root.Name;
      O.TracedFunctionLocation = tracedFunctionSite(C, Root);
      O.Notes = callPathNotes(C, *Open.From);
      std::string Caller = Open.From->Fn == Root.Callable ? O.TracedFunction : qualifiedNameOf(Open.From->Fn);
      O.Notes.push_back(
          {C.point(Open.Call->getExprLoc()), "'" + O.CalleeName + "' (defined in another file) is called from '" +
                                                 Caller + "', which runs while tracing '" + O.TracedFunction + "'"});
      O.Notes.push_back(rootNote(C, Root));
      Out.OpenCalls.push_back(std::move(O));
    }
  }

 private:
  const CheckContext& C;
  FileSummaries& Out;
};

}  // namespace

void TraceHostMutationCheck::run(const CheckContext& C) {
  forEachReachableBody(C, [&](const Reachable& R, const FunctionDecl* Def) {
    WriteFinder W(C, R, Def->getBody());
    W.TraverseStmt(Def->getBody());
  });
  if (!C.Summaries) return;
  SummaryRecorder S(C, *C.Summaries);
  S.TraverseDecl(C.Ctx.getTranslationUnitDecl());
  S.recordOpenCalls();
}

std::vector<Finding> TraceHostMutationCheck::resolveAcrossFiles(const std::vector<OpenCall>& Open,
                                                                const std::map<std::string, FunctionSummary>& All) {
  std::vector<Finding> Out;
  for (const auto& O : Open) {
    std::set<std::string> Seen{O.CalleeUsr};
    std::vector<std::string> Work{O.CalleeUsr};
    while (!Work.empty()) {
      auto Usr = Work.back();
      Work.pop_back();
      auto It = All.find(Usr);
      if (It == All.end()) continue;  // unknown: not reported
      for (const auto& W : It->second.Writes) {
        Finding F;
        F.CheckId = O.CheckId;
        F.Where = W.Where;
        F.TracedFunction = O.TracedFunction;
        F.TracedFunctionLocation = O.TracedFunctionLocation;
        F.Entity = W.Entity;
        F.Message = fillMessage(O.Message, W.Shown + " is " + W.How, O.TracedFunction);
        F.Notes = O.Notes;
        Out.push_back(std::move(F));
      }
      for (const auto& Callee : It->second.Callees)
        if (Seen.insert(Callee).second) Work.push_back(Callee);
    }
  }
  return Out;
}

}  // namespace tracelint
