// A capture begun and, on some path, never ended. Flow-sensitive, on Clang's CFG of the function
// that begins the capture, built with exception edges, as clang-tidy's bugprone-use-after-move
// walks its CFG: from the begin call, is the function's exit (or the same begin again, around a
// loop) reachable without passing something that ends the capture? What ends it: an end call on
// the same handle, a call of a function that ends captures (here or, known from its summary, in
// another file), such a function or a lambda calling one handed over as a callable (a thread, a
// callback), and a guard object whose destructor ends it (a pack's capture_guard_types, or a class
// of this file whose destructor calls the end). Paths that are not a capture left open are cut:
// the failure branch of the begin's own status test (no capture began), the error branch of a
// check macro (the program is already failing; reporting it would flag every checked call) and
// calls that do not return. Exception edges are followed only from calls of functions this file
// shows to throw (a throw expression in their body or their callees'): a callee without a body
// here is assumed not to throw, which the rule page states.
#include "checks/TraceCaptureLeftOpenCheck.h"

#include <deque>
#include <map>
#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "model/Summaries.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceCaptureLeftOpenCheck> Registration("trace-capture-left-open");

template <class Fn>
void forEachStmt(const Stmt* S, Fn&& Visit) {
  if (!S) return;
  Visit(S);
  for (const Stmt* Child : S->children()) forEachStmt(Child, Visit);
}

// What ends one root's capture, as the function that begins it sees it.
class CaptureEnds {
 public:
  CaptureEnds(const CheckContext& C, const TracedRoot& Root)
      : C(C), Root(Root), Handle(captureHandleOf(Root.BeginCall ? dyn_cast<CallExpr>(Root.BeginCall) : nullptr)) {}

  bool endsAt(const Stmt* S) {
    if (const auto* Call = dyn_cast<CallExpr>(S)) return isEndCall(Call);
    if (const auto* Ref = dyn_cast<DeclRefExpr>(S))
      if (const auto* FD = dyn_cast<FunctionDecl>(Ref->getDecl())) return isEndFunction(FD);
    if (const auto* L = dyn_cast<LambdaExpr>(S)) return bodyEnds(L->getBody());
    if (const auto* D = dyn_cast<DeclStmt>(S))
      for (const auto* Decl : D->decls())
        if (const auto* V = dyn_cast<VarDecl>(Decl); V && isGuardType(V->getType())) return true;
    return false;
  }

 private:
  std::string captureHandleOf(const CallExpr* Call) const {
    return Call ? tracelint::captureHandleOf(Call, *Root.Capture, C.Ctx) : "";
  }
  bool isEndCall(const CallExpr* E) {
    const auto* FD = E->getDirectCallee();
    if (!FD) return false;
    if (qualifiedNameOf(FD) == Root.Capture->End) {
      std::string H = captureHandleOf(E);
      return H.empty() || Handle.empty() || H == Handle;
    }
    return isEndFunction(FD);
  }
  // A function that ends a capture it did not begin: a wrapper of this file, or of another file
  // known from its summary.
  bool isEndFunction(const FunctionDecl* FD) {
    for (const auto& W : C.Model.captureWrappers())
      if (!W.Begins && W.Kind->Begin == Root.Capture->Begin && W.Fn->getCanonicalDecl() == FD->getCanonicalDecl())
        return true;
    return !FD->hasBody() && !Root.Capture->EndWrapperUsrs.empty() && Root.Capture->EndWrapperUsrs.count(usrOf(FD));
  }
  bool bodyEnds(const Stmt* Body) {
    bool Found = false;
    forEachStmt(Body, [&](const Stmt* S) {
      if (const auto* Call = dyn_cast<CallExpr>(S)) Found = Found || isEndCall(Call);
    });
    return Found;
  }
  // A guard: a pack's guard type (or one derived from it), or a class whose destructor ends the capture.
  bool isGuardType(QualType T) {
    const auto* RD = T.getNonReferenceType()->getAsCXXRecordDecl();
    if (!RD || !RD->hasDefinition()) return false;
    RD = RD->getDefinition();
    auto [It, Fresh] = Guards.emplace(RD, false);
    if (!Fresh) return It->second;
    bool Guard = nameMatches(RD, C.Model.pack().CaptureGuardTypes);
    if (const auto* Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      Guard = Guard || nameMatches(Spec->getSpecializedTemplate(), C.Model.pack().CaptureGuardTypes);
    RD->forallBases([&](const CXXRecordDecl* Base) {
      Guard = Guard || nameMatches(Base, C.Model.pack().CaptureGuardTypes);
      return true;
    });
    if (const auto* Dtor = RD->getDestructor(); !Guard && Dtor) {
      const FunctionDecl* Def = nullptr;
      if (Dtor->hasBody(Def)) Guard = bodyEnds(Def->getBody());
    }
    return Guards[RD] = Guard;
  }

  const CheckContext& C;
  const TracedRoot& Root;
  std::string Handle;
  std::map<const CXXRecordDecl*, bool> Guards;
};

// Does calling FD throw, as far as this file shows: a throw expression in its body, or in the body
// of a function it calls (a few calls deep)? Without a body here: assumed not to.
class ThrowingCallees {
 public:
  explicit ThrowingCallees(const SourceManager& SM) : SM(SM) {}
  bool throws(const FunctionDecl* FD, int Depth = 0) {
    const FunctionDecl* Def = nullptr;
    if (!FD || Depth > 4 || !FD->hasBody(Def) || SM.isInSystemHeader(Def->getLocation())) return false;
    if (auto* Proto = Def->getType()->getAs<FunctionProtoType>(); Proto && Proto->isNothrow()) return false;
    auto [It, Fresh] = Known.emplace(Def, false);
    if (!Fresh) return It->second;
    bool Throws = false;
    forEachStmt(Def->getBody(), [&](const Stmt* S) {
      if (isa<CXXThrowExpr>(S)) Throws = true;
      if (const auto* Call = dyn_cast<CallExpr>(S); Call && !Throws)
        Throws = throws(Call->getDirectCallee(), Depth + 1);
    });
    return Known[Def] = Throws;
  }

 private:
  const SourceManager& SM;
  std::map<const FunctionDecl*, bool> Known;
};

// Does the status test Cond hold when the tested call failed (+1: its then-branch is the failure
// branch), when it succeeded (-1), or neither (0)? Statuses are zero on success: `e != success`
// and a bare `e` hold on failure, `e == success` on success.
int failureSense(const Expr* Cond) {
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto* U = dyn_cast<UnaryOperator>(Cond); U && U->getOpcode() == UO_LNot)
    return -failureSense(U->getSubExpr());
  if (const auto* B = dyn_cast<BinaryOperator>(Cond)) {
    if (B->getOpcode() == BO_NE) return 1;
    if (B->getOpcode() == BO_EQ) return -1;
    if (B->isLogicalOp()) {
      int L = failureSense(B->getLHS());
      return L ? L : failureSense(B->getRHS());
    }
    return 0;
  }
  return 1;
}

bool mentions(const Stmt* S, const Stmt* Target, const VarDecl* Var) {
  bool Found = false;
  forEachStmt(S, [&](const Stmt* X) {
    if (X == Target) Found = true;
    if (const auto* Ref = dyn_cast<DeclRefExpr>(X); Ref && Var && Ref->getDecl() == Var) Found = true;
  });
  return Found;
}

// Statements on paths that are not a capture left open: the failure branch of the begin's status
// test (no capture began) and the error branches of check macros (an `if` written in a macro).
std::set<const Stmt*> notCapturePaths(const Stmt* Body, const Expr* Begin, const SourceManager& SM) {
  const VarDecl* Status = nullptr;  // the variable the begin's status is stored in, if any
  forEachStmt(Body, [&](const Stmt* S) {
    if (const auto* D = dyn_cast<DeclStmt>(S))
      for (const auto* Decl : D->decls())
        if (const auto* V = dyn_cast<VarDecl>(Decl); V && V->getInit() && V->getInit()->IgnoreParenImpCasts() == Begin)
          Status = V;
    if (const auto* B = dyn_cast<BinaryOperator>(S); B && B->getOpcode() == BO_Assign)
      if (const auto* Ref = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts());
          Ref && B->getRHS()->IgnoreParenImpCasts() == Begin)
        Status = dyn_cast<VarDecl>(Ref->getDecl());
  });
  std::set<const Stmt*> Out;
  auto Cut = [&](const Stmt* Branch) { forEachStmt(Branch, [&](const Stmt* S) { Out.insert(S); }); };
  const IfStmt* BeginTest = nullptr;  // the first test of the begin's status
  forEachStmt(Body, [&](const Stmt* S) {
    const auto* If = dyn_cast<IfStmt>(S);
    if (!If || !If->getCond()) return;
    if (If->getIfLoc().isMacroID()) {
      Cut(If->getThen());
      return;
    }
    // The begin itself in the condition, or its stored status tested after it.
    bool TestsBegin = mentions(If->getCond(), Begin, nullptr);
    if (!TestsBegin &&
        (!mentions(If->getCond(), nullptr, Status) ||
         SM.isBeforeInTranslationUnit(SM.getExpansionLoc(If->getBeginLoc()), SM.getExpansionLoc(Begin->getBeginLoc()))))
      return;
    if (!BeginTest || SM.isBeforeInTranslationUnit(If->getBeginLoc(), BeginTest->getBeginLoc())) BeginTest = If;
  });
  if (BeginTest) {
    int Sense = failureSense(BeginTest->getCond());
    if (Sense > 0) Cut(BeginTest->getThen());
    if (Sense < 0 && BeginTest->getElse()) Cut(BeginTest->getElse());
  }
  return Out;
}

// Is F's capture, begun and never ended in F, beyond the reach of any caller: `main`, or a function
// of this file's own that nothing here calls (a test registered by its address)? Otherwise F is a
// wrapper that begins a capture for its callers, which are checked where they call it.
bool noCallerCanEnd(ASTContext& Ctx, const FunctionDecl* F) {
  if (F->isMain()) return true;
  if (isa<CXXMethodDecl>(F) || F->isExternallyVisible()) return false;
  struct Calls : RecursiveASTVisitor<Calls> {
    const FunctionDecl* F;
    bool Found = false;
    bool shouldVisitTemplateInstantiations() const { return true; }
    bool VisitCallExpr(CallExpr* E) {
      if (const auto* Callee = E->getDirectCallee(); Callee && Callee->getCanonicalDecl() == F) Found = true;
      return !Found;
    }
  } V;
  V.F = F->getCanonicalDecl();
  V.TraverseDecl(Ctx.getTranslationUnitDecl());
  return !V.Found;
}

const CallExpr* lastCall(const CFGBlock* B) {
  for (auto It = B->rbegin(); It != B->rend(); ++It)
    if (auto S = It->getAs<CFGStmt>()) return dyn_cast<CallExpr>(S->getStmt());
  return nullptr;
}

// How a path leaves the capture open: the last jump, return, throw or branch on it inside the region.
struct Exit {
  const Stmt* At = nullptr;
  std::string How;
};

std::string describe(const Stmt* S) {
  if (isa<ReturnStmt>(S)) return "the return";
  if (isa<CXXThrowExpr>(S)) return "the 'throw'";
  if (isa<BreakStmt>(S)) return "the 'break'";
  if (isa<ContinueStmt>(S)) return "the 'continue'";
  if (isa<GotoStmt>(S) || isa<IndirectGotoStmt>(S)) return "the 'goto'";
  return "the branch that skips the end";
}
}  // namespace

void TraceCaptureLeftOpenCheck::run(const CheckContext& C) {
  const auto& SM = C.Ctx.getSourceManager();
  ThrowingCallees Throwing(SM);
  std::set<std::tuple<std::string, unsigned, unsigned>> Seen;  // one finding per begin, not per instantiation
  for (const auto& Root : C.Model.roots()) {
    const FunctionDecl* Def = nullptr;
    if (!Root.isCapture() || !Root.BeginCall || !Root.Callable || !Root.Callable->hasBody(Def) || !Def->getBody() ||
        SM.isInSystemHeader(SM.getFileLoc(Root.BeginCall->getBeginLoc())))
      continue;
    CFG::BuildOptions Options;
    Options.AddEHEdges = true;  // calls that throw leave the function
    Options.AddImplicitDtors = false;
    Options.AddTemporaryDtors = false;
    Options.setAllAlwaysAdd();  // every call an element: begin, end and throwing calls have positions
    auto Graph = CFG::buildCFG(Def, Def->getBody(), &C.Ctx, Options);
    if (!Graph) continue;
    CaptureEnds Ends(C, Root);
    auto NotCapturing = notCapturePaths(Def->getBody(), Root.BeginCall, SM);
    const CFGBlock* BeginBlock = nullptr;
    unsigned BeginIndex = 0;
    bool AnyEnd = false;
    for (const CFGBlock* B : *Graph)
      for (unsigned I = 0; I < B->size(); ++I)
        if (auto S = (*B)[I].getAs<CFGStmt>()) {
          if (S->getStmt() == Root.BeginCall) BeginBlock = B, BeginIndex = I;
          AnyEnd = AnyEnd || Ends.endsAt(S->getStmt());
        }
    if (!BeginBlock) continue;
    auto P = C.point(Root.BeginCall->getBeginLoc());
    if (!AnyEnd) {
      // Nothing here ends it: a wrapper beginning the capture for its callers, unless none can.
      if (!noCallerCanEnd(C.Ctx, Def) || !Seen.insert({P.File, P.Line, P.Column}).second) continue;
      auto Message = packMessage(C, Root, "", "returning from '" + Def->getNameAsString() + "' with no end call");
      if (!Message) continue;
      auto F = tracedFinding(C, Root.BeginCall->getBeginLoc(), Root, locationString(C, Root.BeginCall->getBeginLoc()),
                             *Message);
      F.Notes.push_back({C.point(Def->getBody()->getEndLoc()), "leaves the capture open: no call ends it"});
      C.Report(std::move(F));
      continue;
    }
    // A handle that varies (`streams[i]`, i written in the function): the same begin call around a
    // loop begins another capture, and captures begun in one loop are often ended in a later loop over
    // the same handles, which a path-insensitive walk cannot pair (both loops may run zero times).
    // For such handles only explicit exits are reported: not a begin reached again, not a loop
    // condition that skips the end.
    bool VaryingHandle = false;
    if (const auto* BeginCall = dyn_cast<CallExpr>(Root.BeginCall);
        BeginCall && Root.Capture->HandleArg >= 0 &&
        static_cast<unsigned>(Root.Capture->HandleArg) < BeginCall->getNumArgs()) {
      std::set<const VarDecl*> Written;
      forEachWrite(Def->getBody(), [&](const Expr* Target, const Expr*) {
        if (const auto* V = baseVariable(Target)) Written.insert(V);
      });
      forEachStmt(BeginCall->getArg(static_cast<unsigned>(Root.Capture->HandleArg)), [&](const Stmt* S) {
        if (const auto* Ref = dyn_cast<DeclRefExpr>(S))
          if (const auto* V = dyn_cast<VarDecl>(Ref->getDecl()); V && Written.count(V)) VaryingHandle = true;
      });
    }
    // 0: the path goes on; 1: the capture is ended (or the path is not one through it); 2: begun again.
    auto Scan = [&](const CFGBlock* B, unsigned From) {
      if (B->hasNoReturnElement()) return 1;
      for (unsigned I = From; I < B->size(); ++I)
        if (auto S = (*B)[I].getAs<CFGStmt>()) {
          if (NotCapturing.count(S->getStmt())) return 1;
          if (S->getStmt() == Root.BeginCall) return VaryingHandle ? 1 : 2;
          if (Ends.endsAt(S->getStmt())) return 1;
        }
      const Stmt* T = B->getTerminatorStmt();
      return T && NotCapturing.count(T) ? 1 : 0;
    };
    if (Scan(BeginBlock, BeginIndex + 1) != 0) continue;
    // Breadth first from the begin: the shortest path out with the capture open.
    std::map<const CFGBlock*, std::pair<const CFGBlock*, bool>> Came;  // block -> (predecessor, by an exception)
    std::deque<const CFGBlock*> Work{BeginBlock};
    Came[BeginBlock] = {nullptr, false};
    const CFGBlock* Last = nullptr;  // the block the capture leaves open from
    bool ByException = false, Again = false;
    while (!Work.empty() && !Last) {
      const CFGBlock* B = Work.front();
      Work.pop_front();
      const CallExpr* Call = B->getTerminatorStmt() ? nullptr : lastCall(B);
      unsigned Index = 0;
      for (auto It = B->succ_begin(); It != B->succ_end() && !Last; ++It, ++Index) {
        const CFGBlock* S = *It;
        // A call ending its block has its exception edge after its normal one.
        bool Exceptional = Call && Index > 0 && B->succ_size() > 1;
        if (!S || (Exceptional && !Throwing.throws(Call->getDirectCallee()))) continue;
        if (S == &Graph->getExit() || (S == BeginBlock && Scan(S, 0) == 2)) {
          Last = B, ByException = Exceptional, Again = S != &Graph->getExit();
          break;
        }
        if (Came.count(S)) continue;
        Came[S] = {B, Exceptional};
        if (Scan(S, 0) == 0) Work.push_back(S);
      }
    }
    if (!Last || !Seen.insert({P.File, P.Line, P.Column}).second) continue;
    std::vector<const CFGBlock*> Path;
    for (const CFGBlock* B = Last; B; B = Came[B].first) Path.push_back(B);
    std::reverse(Path.begin(), Path.end());
    auto Inside = [&](const Stmt* S) {
      auto L = SM.getExpansionLoc(S->getBeginLoc());
      return !SM.isBeforeInTranslationUnit(L, Root.Region.getBegin()) &&
             (Root.RegionEndIncluded ? !SM.isBeforeInTranslationUnit(Root.Region.getEnd(), L)
                                     : SM.isBeforeInTranslationUnit(L, Root.Region.getEnd()));
    };
    Exit Out;
    for (std::size_t K = 0; K < Path.size(); ++K) {
      const CFGBlock* B = Path[K];
      for (unsigned I = K == 0 ? BeginIndex + 1 : 0; I < B->size(); ++I)
        if (auto S = (*B)[I].getAs<CFGStmt>();
            S && (isa<ReturnStmt>(S->getStmt()) || isa<CXXThrowExpr>(S->getStmt())) && Inside(S->getStmt()))
          Out = {S->getStmt(), describe(S->getStmt())};
      if (const Stmt* T = B->getTerminatorStmt(); T && Inside(T)) Out = {T, describe(T)};
    }
    if (ByException) {
      const CallExpr* Call = lastCall(Last);
      Out = {Call, "an exception from '" + qualifiedNameOf(Call->getDirectCallee()) + "'"};
    }
    bool LoopExit = !Out.At || isa<ForStmt>(Out.At) || isa<WhileStmt>(Out.At) || isa<DoStmt>(Out.At) ||
                    isa<CXXForRangeStmt>(Out.At);
    if (VaryingHandle && LoopExit && !ByException) continue;
    if (!Out.At && Again) Out.How = "the loop that begins it again before it is ended";
    if (!Out.At && !Again) Out.How = "falling off the end of '" + Def->getNameAsString() + "'";
    auto Message = packMessage(C, Root, "", Out.How);
    if (!Message) continue;
    auto F = tracedFinding(C, Root.BeginCall->getBeginLoc(), Root, locationString(C, Root.BeginCall->getBeginLoc()),
                           *Message);
    SourceLocation NoteAt = Out.At ? Out.At->getBeginLoc() : Def->getBody()->getEndLoc();
    F.Notes.push_back({C.point(NoteAt), "leaves the capture open: no end call on this path"});
    C.Report(std::move(F));
  }
}

}  // namespace tracelint
