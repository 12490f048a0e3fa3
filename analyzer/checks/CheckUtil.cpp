#include "checks/CheckUtil.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace tracelint {

using namespace clang;

const VarDecl *baseVariable(const Expr *E) {
  for (int Guard = 0; E && Guard < 32; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (auto *ME = dyn_cast<MemberExpr>(E)) E = ME->getBase();
    else if (auto *AS = dyn_cast<ArraySubscriptExpr>(E)) E = AS->getBase();
    else if (auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_Deref) E = U->getSubExpr();
    else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E); OC && OC->getNumArgs() > 0 &&
                                                         (OC->getOperator() == OO_Subscript || OC->getOperator() == OO_Star ||
                                                          OC->getOperator() == OO_Arrow))
      E = OC->getArg(0);
    else if (auto *DRE = dyn_cast<DeclRefExpr>(E)) return dyn_cast<VarDecl>(DRE->getDecl());
    else return nullptr;
  }
  return nullptr;
}

const ValueDecl *baseEntity(const Expr *E) {
  const Expr *Cur = E;
  for (int Guard = 0; Cur && Guard < 32; ++Guard) {
    Cur = Cur->IgnoreParenImpCasts();
    if (auto *ME = dyn_cast<MemberExpr>(Cur)) {
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) return ME->getMemberDecl();
      Cur = ME->getBase();
      continue;
    }
    break;
  }
  return baseVariable(E);
}

namespace {
class Writes : public RecursiveASTVisitor<Writes> {
 public:
  explicit Writes(const std::function<void(const Expr *, SourceLocation)> &Fn) : Fn(Fn) {}
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp()) Fn(B->getLHS(), B->getLHS()->getBeginLoc());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->isIncrementDecrementOp()) Fn(U->getSubExpr(), U->getSubExpr()->getBeginLoc());
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *E) {
    auto Op = E->getOperator();
    if ((E->isAssignmentOp() || Op == OO_PlusPlus || Op == OO_MinusMinus) && E->getNumArgs() > 0)
      Fn(E->getArg(0), E->getArg(0)->getBeginLoc());
    return true;
  }

 private:
  const std::function<void(const Expr *, SourceLocation)> &Fn;
};

class LocalDecls : public RecursiveASTVisitor<LocalDecls> {
 public:
  std::vector<const VarDecl *> Vars;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitVarDecl(VarDecl *D) {
    Vars.push_back(D);
    return true;
  }
};

class Refs : public RecursiveASTVisitor<Refs> {
 public:
  explicit Refs(const std::set<const ValueDecl *> &Vars) : Vars(Vars) {}
  const Expr *Found = nullptr;
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (Vars.count(E->getDecl())) {
      Found = E;
      return false;
    }
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    if (isa<CXXThisExpr>(E->getBase()->IgnoreParenImpCasts()) && Vars.count(E->getMemberDecl())) {
      Found = E;
      return false;
    }
    return true;
  }

 private:
  const std::set<const ValueDecl *> &Vars;
};
}  // namespace

void forEachWrite(const Stmt *S, const std::function<void(const Expr *, SourceLocation)> &Fn) {
  Writes W(Fn);
  W.TraverseStmt(const_cast<Stmt *>(S));
}

const Expr *referenceTo(const Expr *E, const std::set<const ValueDecl *> &Vars) {
  if (!E) return nullptr;
  Refs R(Vars);
  R.TraverseStmt(const_cast<Expr *>(E));
  return R.Found;
}

const DeclRefExpr *referenceTo(const Expr *E, const std::set<const VarDecl *> &Vars) {
  std::set<const ValueDecl *> Values(Vars.begin(), Vars.end());
  return dyn_cast_or_null<DeclRefExpr>(referenceTo(E, Values));
}

std::string nameOf(const Expr *Reference) {
  if (auto *D = dyn_cast_or_null<DeclRefExpr>(Reference)) return D->getDecl()->getNameAsString();
  if (auto *M = dyn_cast_or_null<MemberExpr>(Reference)) return M->getMemberDecl()->getNameAsString();
  return "";
}

std::set<const ValueDecl *> loopVarying(const Stmt *Loop) {
  std::set<const ValueDecl *> Varying;
  if (auto *F = dyn_cast<ForStmt>(Loop)) {
    if (auto *Init = dyn_cast_or_null<DeclStmt>(F->getInit()))
      for (auto *D : Init->decls())
        if (auto *VD = dyn_cast<VarDecl>(D)) Varying.insert(VD);
  } else if (auto *R = dyn_cast<CXXForRangeStmt>(Loop)) {
    Varying.insert(R->getLoopVariable());
  }
  forEachWrite(Loop, [&](const Expr *Target, SourceLocation) {
    if (auto *VD = baseEntity(Target)) Varying.insert(VD);
  });
  LocalDecls L;
  L.TraverseStmt(const_cast<Stmt *>(Loop));
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto *VD : L.Vars)
      if (!Varying.count(VD) && VD->getInit() && referenceTo(VD->getInit(), Varying)) Changed |= Varying.insert(VD).second;
  }
  return Varying;
}

bool declaredWithin(const Decl *D, const Stmt *S, const SourceManager &SM) {
  auto R = S->getSourceRange();
  auto L = D->getLocation();
  return R.isValid() && L.isValid() && !SM.isBeforeInTranslationUnit(L, R.getBegin()) &&
         !SM.isBeforeInTranslationUnit(R.getEnd(), L);
}

std::string locationString(const CheckContext &C, SourceLocation Loc) {
  auto P = C.point(Loc);
  return P.File + ":" + std::to_string(P.Line);
}

std::string tracedFunctionSite(const CheckContext &C, const TracedRoot &Root) {
  // The runtime records std::source_location::current() of the creating call, which g++ puts at
  // the call's end and clang at its start: the site is the call's whole line range.
  auto B = C.point(Root.EntryLoc), E = C.point(Root.EntryEndLoc.isValid() ? Root.EntryEndLoc : Root.EntryLoc);
  std::string Site = B.File + ":" + std::to_string(B.Line);
  if (E.File == B.File && E.Line > B.Line) Site += "-" + std::to_string(E.Line);
  return Site;
}

void forEachReachableBody(const CheckContext &C, const std::function<void(const Reachable &, const FunctionDecl *)> &Fn) {
  for (const auto &R : C.Model.reachable()) {
    const FunctionDecl *Def = nullptr;
    if (R.Fn->hasBody(Def) && Def->getBody()) Fn(R, Def);
  }
}

std::vector<FindingNote> callPathNotes(const CheckContext &C, const Reachable &R) {
  std::vector<FindingNote> Notes;
  for (const auto &Step : R.Path) {
    std::string Caller = Step.Caller == R.Root->Callable ? R.Root->Name : qualifiedNameOf(Step.Caller);
    Notes.push_back({C.point(Step.Call->getExprLoc()), "called from '" + Caller + "', which runs while tracing '" + R.Root->Name + "'"});
  }
  if (R.HiddenFrames && !R.Path.empty())
    Notes.push_back({C.point(R.Path.back().Call->getExprLoc()),
                     std::to_string(R.HiddenFrames) + " further call" + (R.HiddenFrames == 1 ? "" : "s") + " down to '" +
                         qualifiedNameOf(R.Fn) + "' not shown"});
  return Notes;
}

void addTracePathNotes(const CheckContext &C, const Reachable &R, Finding &F) {
  auto Path = callPathNotes(C, R);
  F.Notes.insert(F.Notes.end(), Path.begin(), Path.end());
  F.Notes.push_back({C.point(R.Root->EntryLoc), "'" + R.Root->Name + "' is traced here"});
}

Finding tracedFinding(const CheckContext &C, const char *Check, SourceLocation Loc, const TracedRoot &Root, std::string Entity,
                      std::string Message) {
  Finding F;
  F.CheckId = Check;
  F.Where = C.point(Loc);
  F.TracedFunction = Root.Name;
  F.TracedFunctionLocation = tracedFunctionSite(C, Root);
  F.Entity = std::move(Entity);
  F.Message = std::move(Message);
  return F;
}

}  // namespace tracelint
