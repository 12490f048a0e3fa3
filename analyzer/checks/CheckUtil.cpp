#include "checks/CheckUtil.h"

#include <filesystem>

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace tracelint {

using namespace clang;

const VarDecl* baseVariable(const Expr* E) {
  for (int Guard = 0; E && Guard < 32; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (auto* ME = dyn_cast<MemberExpr>(E))
      E = ME->getBase();
    else if (auto* AS = dyn_cast<ArraySubscriptExpr>(E))
      E = AS->getBase();
    else if (auto* U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_Deref)
      E = U->getSubExpr();
    else if (auto* OC = dyn_cast<CXXOperatorCallExpr>(E);
             OC && OC->getNumArgs() > 0 &&
             (OC->getOperator() == OO_Subscript || OC->getOperator() == OO_Star || OC->getOperator() == OO_Arrow))
      E = OC->getArg(0);
    else if (auto* DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(DRE->getDecl());
    else
      return nullptr;
  }
  return nullptr;
}

const ValueDecl* baseEntity(const Expr* E) {
  const Expr* Cur = E;
  for (int Guard = 0; Cur && Guard < 32; ++Guard) {
    Cur = Cur->IgnoreParenImpCasts();
    if (auto* ME = dyn_cast<MemberExpr>(Cur)) {
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
  explicit Writes(const std::function<void(const Expr*, const Expr*)>& Fn) : Fn(Fn) {}
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  bool VisitBinaryOperator(BinaryOperator* B) {
    if (B->isAssignmentOp()) Fn(B->getLHS(), B);
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator* U) {
    if (U->isIncrementDecrementOp()) Fn(U->getSubExpr(), U);
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr* E) {
    auto Op = E->getOperator();
    if ((E->isAssignmentOp() || Op == OO_PlusPlus || Op == OO_MinusMinus) && E->getNumArgs() > 0) Fn(E->getArg(0), E);
    return true;
  }
  // User methods with visible bodies write where their bodies do; a library method is opaque, so
  // the call is the write.
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr* E) {
    const auto* M = E->getMethodDecl();
    if (M && E->getImplicitObjectArgument() &&
        M->getASTContext().getSourceManager().isInSystemHeader(M->getLocation()) && mutatesObject(M))
      Fn(E->getImplicitObjectArgument(), E);
    return true;
  }

 private:
  const std::function<void(const Expr*, const Expr*)>& Fn;
};

class LocalDecls : public RecursiveASTVisitor<LocalDecls> {
 public:
  std::vector<const VarDecl*> Vars;
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  bool VisitVarDecl(VarDecl* D) {
    Vars.push_back(D);
    return true;
  }
};

class Refs : public RecursiveASTVisitor<Refs> {
 public:
  explicit Refs(const std::set<const ValueDecl*>& Vars) : Vars(Vars) {}
  const Expr* Found = nullptr;
  bool VisitDeclRefExpr(DeclRefExpr* E) {
    if (Vars.count(E->getDecl())) {
      Found = E;
      return false;
    }
    return true;
  }
  bool VisitMemberExpr(MemberExpr* E) {
    if (isa<CXXThisExpr>(E->getBase()->IgnoreParenImpCasts()) && Vars.count(E->getMemberDecl())) {
      Found = E;
      return false;
    }
    return true;
  }

 private:
  const std::set<const ValueDecl*>& Vars;
};
}  // namespace

void forEachWrite(const Stmt* S, const std::function<void(const Expr*, const Expr*)>& Fn) {
  Writes W(Fn);
  W.TraverseStmt(const_cast<Stmt*>(S));
}

bool mutatesObject(const CXXMethodDecl* M) {
  if (!M || M->isConst() || M->isStatic() || isa<CXXConstructorDecl>(M) || isa<CXXDestructorDecl>(M)) return false;
  if (isa<CXXConversionDecl>(M)) return false;
  for (const auto* D : M->getParent()->lookup(M->getDeclName()))
    if (const auto* Other = dyn_cast_or_null<CXXMethodDecl>(D->getAsFunction()); Other && Other->isConst())
      return false;
  return true;
}

bool isTraceLocal(const VarDecl* VD, const Reachable& R) {
  if (!VD || !VD->isLocalVarDeclOrParm() || VD->isStaticLocal() || VD->getTLSKind() != VarDecl::TLS_None) return false;
  const auto* Owner = dyn_cast<FunctionDecl>(VD->getDeclContext());
  if (!Owner) return false;
  if (Owner->getCanonicalDecl() == R.Fn->getCanonicalDecl()) return true;
  for (const auto& Step : R.Path)
    if (Step.Caller->getCanonicalDecl() == Owner->getCanonicalDecl()) return true;
  return false;
}

namespace {
// Entities an expression reads or writes that outlive Fn's call: variables of other functions
// (captures), globals, and members of `this`.
std::set<const ValueDecl*> outerEntities(const Stmt* S, const FunctionDecl* Fn) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const FunctionDecl* Fn;
    std::set<const ValueDecl*> Found;
    bool VisitDeclRefExpr(DeclRefExpr* E) {
      if (auto* VD = dyn_cast<VarDecl>(E->getDecl()))
        if (VD->hasGlobalStorage() || cast<Decl>(VD->getDeclContext())->getCanonicalDecl() != Fn->getCanonicalDecl())
          Found.insert(VD);
      return true;
    }
    bool VisitMemberExpr(MemberExpr* E) {
      if (isa<CXXThisExpr>(E->getBase()->IgnoreParenImpCasts())) Found.insert(E->getMemberDecl());
      return true;
    }
  } F;
  F.Fn = Fn;
  F.TraverseStmt(const_cast<Stmt*>(S));
  return F.Found;
}
}  // namespace

bool inCreateOnceBranch(const Stmt* S, const FunctionDecl* Fn, const ParentMap& PM) {
  for (const Stmt *P = PM.getParent(S), *Child = S; P; Child = P, P = PM.getParent(P)) {
    const auto* If = dyn_cast<IfStmt>(P);
    if (!If || If->getThen() != Child || !If->getCond()) continue;
    auto Tested = outerEntities(If->getCond(), Fn);
    if (Tested.empty()) continue;
    bool TurnsOff = false;
    forEachWrite(If->getThen(),
                 [&](const Expr* Target, const Expr*) { TurnsOff |= Tested.count(baseEntity(Target)) != 0; });
    if (TurnsOff) return true;
  }
  return false;
}

namespace {
const Expr* argumentFor(const Expr* Call, const ParmVarDecl* P) {
  unsigned Index = P->getFunctionScopeIndex();
  if (const auto* Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    // A member operator's object is argument 0; the parameters follow.
    if (isa_and_nonnull<CXXMethodDecl>(Op->getDirectCallee())) ++Index;
    return Index < Op->getNumArgs() ? Op->getArg(Index) : nullptr;
  }
  if (const auto* C = dyn_cast<CallExpr>(Call)) return Index < C->getNumArgs() ? C->getArg(Index) : nullptr;
  if (const auto* C = dyn_cast<CXXConstructExpr>(Call)) return Index < C->getNumArgs() ? C->getArg(Index) : nullptr;
  return nullptr;
}
}  // namespace

bool reachedOnlyOnce(const TracedRegionModel& M, const Reachable& Frame, int Depth) {
  if (Depth > 4 || Frame.Fn->getCanonicalDecl() == Frame.Root->Callable->getCanonicalDecl()) return false;
  const auto& Sites = M.callSitesOf(Frame.Fn, Frame.Root);
  if (Sites.empty()) return false;
  for (const auto& Site : Sites) {
    const FunctionDecl* Def = nullptr;
    if (!Site.From->Fn->hasBody(Def) || !Def->getBody()) return false;
    ParentMap Parents(Def->getBody());
    if (!inCreateOnceBranch(Site.Call, Site.From->Fn, Parents) && !reachedOnlyOnce(M, *Site.From, Depth + 1))
      return false;
  }
  return true;
}

bool thisIsTraceLocal(const TracedRegionModel& M, const Reachable& Frame, int Depth) {
  const auto* Method = dyn_cast<CXXMethodDecl>(Frame.Fn);
  if (!Method || Method->isStatic() || Method->getParent()->isLambda() || Depth > 4 ||
      Frame.Fn->getCanonicalDecl() == Frame.Root->Callable->getCanonicalDecl())
    return false;
  const auto& Sites = M.callSitesOf(Frame.Fn, Frame.Root);
  if (Sites.empty()) return false;
  for (const auto& Site : Sites) {
    const Expr* Object = nullptr;
    if (const auto* Call = dyn_cast<CXXMemberCallExpr>(Site.Call))
      Object = Call->getImplicitObjectArgument();
    else if (const auto* Op = dyn_cast<CXXOperatorCallExpr>(Site.Call); Op && Op->getNumArgs() > 0)
      Object = Op->getArg(0);
    if (!Object) return false;
    Object = Object->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Object)) {
      if (!thisIsTraceLocal(M, *Site.From, Depth + 1)) return false;
      continue;
    }
    // Through a pointer or a reference the object may be anyone's: not known to be local.
    const VarDecl* V = baseVariable(Object);
    if (!V || V->getType()->isReferenceType() || V->getType()->isPointerType() || !isTraceLocal(V, *Site.From))
      return false;
  }
  return true;
}

bool forEachArgumentFor(const TracedRegionModel& M, const VarDecl* VD, const Reachable& Frame,
                        const std::function<void(const Expr*, const Reachable&)>& Fn) {
  const auto* P = dyn_cast<ParmVarDecl>(VD);
  if (!P || !(P->getType()->isReferenceType() || P->getType()->isPointerType()) ||
      cast<Decl>(P->getDeclContext())->getCanonicalDecl() != Frame.Fn->getCanonicalDecl())
    return false;
  if (Frame.Fn->getCanonicalDecl() == Frame.Root->Callable->getCanonicalDecl()) return true;
  for (const auto& Site : M.callSitesOf(Frame.Fn, Frame.Root))
    if (const Expr* Arg = argumentFor(Site.Call, P)) {
      // `&x` passed for a pointer parameter stands for x.
      if (const auto* U = dyn_cast<UnaryOperator>(Arg->IgnoreParenImpCasts()); U && U->getOpcode() == UO_AddrOf)
        Arg = U->getSubExpr();
      Fn(Arg, *Site.From);
    }
  return true;
}

const Expr* referenceTo(const Expr* E, const std::set<const ValueDecl*>& Vars) {
  if (!E) return nullptr;
  Refs R(Vars);
  R.TraverseStmt(const_cast<Expr*>(E));
  return R.Found;
}

const DeclRefExpr* referenceTo(const Expr* E, const std::set<const VarDecl*>& Vars) {
  std::set<const ValueDecl*> Values(Vars.begin(), Vars.end());
  return dyn_cast_or_null<DeclRefExpr>(referenceTo(E, Values));
}

std::string nameOf(const Expr* Reference) {
  if (auto* D = dyn_cast_or_null<DeclRefExpr>(Reference)) return D->getDecl()->getNameAsString();
  if (auto* M = dyn_cast_or_null<MemberExpr>(Reference)) return M->getMemberDecl()->getNameAsString();
  return "";
}

std::set<const ValueDecl*> loopVarying(const Stmt* Loop) {
  std::set<const ValueDecl*> Varying;
  if (auto* F = dyn_cast<ForStmt>(Loop)) {
    if (auto* Init = dyn_cast_or_null<DeclStmt>(F->getInit()))
      for (auto* D : Init->decls())
        if (auto* VD = dyn_cast<VarDecl>(D)) Varying.insert(VD);
  } else if (auto* R = dyn_cast<CXXForRangeStmt>(Loop)) {
    Varying.insert(R->getLoopVariable());
  }
  forEachWrite(Loop, [&](const Expr* Target, const Expr*) {
    if (auto* VD = baseEntity(Target)) Varying.insert(VD);
  });
  LocalDecls L;
  L.TraverseStmt(const_cast<Stmt*>(Loop));
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto* VD : L.Vars)
      if (!Varying.count(VD) && VD->getInit() && referenceTo(VD->getInit(), Varying))
        Changed |= Varying.insert(VD).second;
  }
  return Varying;
}

bool declaredWithin(const Decl* D, const Stmt* S, const SourceManager& SM) {
  auto R = S->getSourceRange();
  auto L = D->getLocation();
  return R.isValid() && L.isValid() && !SM.isBeforeInTranslationUnit(L, R.getBegin()) &&
         !SM.isBeforeInTranslationUnit(R.getEnd(), L);
}

std::string locationString(const CheckContext& C, SourceLocation Loc) {
  auto P = C.point(Loc);
  return P.File + ":" + std::to_string(P.Line);
}

std::string tracedFunctionSite(const CheckContext& C, const TracedRoot& Root) {
  // The runtime records std::source_location::current() of the creating call, which g++ puts at
  // the call's end and clang at its start: the site is the call's whole line range.
  auto B = C.point(Root.EntryLoc), E = C.point(Root.EntryEndLoc.isValid() ? Root.EntryEndLoc : Root.EntryLoc);
  std::string Site = B.File + ":" + std::to_string(B.Line);
  if (E.File == B.File && E.Line > B.Line) Site += "-" + std::to_string(E.Line);
  return Site;
}

void forEachReachableBody(const CheckContext& C, const std::function<void(const Reachable&, const FunctionDecl*)>& Fn) {
  for (const auto& R : C.Model.reachable()) {
    const FunctionDecl* Def = nullptr;
    if (R.Fn->hasBody(Def) && Def->getBody()) Fn(R, Def);
  }
}

std::vector<FindingNote> callPathNotes(const CheckContext& C, const Reachable& R) {
  std::vector<FindingNote> Notes;
  for (const auto& Step : R.Path) {
    std::string Caller = Step.Caller == R.Root->Callable ? R.Root->Name : qualifiedNameOf(Step.Caller);
    Notes.push_back({C.point(Step.Call->getExprLoc()),
                     "called from '" + Caller + "', which runs while tracing '" + R.Root->Name + "'"});
  }
  if (R.HiddenFrames && !R.Path.empty())
    Notes.push_back({C.point(R.Path.back().Call->getExprLoc()), std::to_string(R.HiddenFrames) + " further call" +
                                                                    (R.HiddenFrames == 1 ? "" : "s") + " down to '" +
                                                                    qualifiedNameOf(R.Fn) + "' not shown"});
  return Notes;
}

FindingNote rootNote(const CheckContext& C, const TracedRoot& Root) {
  if (Root.isCapture())
    return {C.point(Root.EntryLoc),
            Root.BeginCall ? "the capture on '" + Root.Name + "' begins here" : "capturing is tested here"};
  return {C.point(Root.EntryLoc), "'" + Root.Name + "' is traced here"};
}

bool endsTheProgram(const Stmt* S, const Stmt* Body, ASTContext& Ctx) {
  (void)Ctx;
  // A statement that ends the program whenever it runs: a call of a function that does not return,
  // or a throw, as the statement itself (not inside a branch of it).
  auto Ends = [](const Stmt* Child) {
    const auto* E = dyn_cast<Expr>(Child);
    if (!E) return false;
    E = E->IgnoreImplicit();
    if (isa<CXXThrowExpr>(E)) return true;
    const auto* Call = dyn_cast<CallExpr>(E);
    return Call && Call->getDirectCallee() && Call->getDirectCallee()->isNoReturn();
  };
  ParentMap PM(const_cast<Stmt*>(Body));
  for (const Stmt* Cur = S; Cur && Cur != Body;) {
    const Stmt* Parent = PM.getParent(Cur);
    // Only a branch (then or else of an if, a case, a catch): a function body that ends with
    // exit() is the normal end of a program, not its failure path.
    const Stmt* Above = Parent ? PM.getParent(Parent) : nullptr;
    bool Branch = Above && (isa<IfStmt>(Above) || isa<SwitchCase>(Above) || isa<CXXCatchStmt>(Above));
    if (const auto* Block = dyn_cast_or_null<CompoundStmt>(Parent); Block && Branch) {
      bool After = false;
      for (const auto* Child : Block->body()) {
        if (After && Ends(Child)) return true;
        After |= Child == Cur;
      }
    }
    Cur = Parent;
  }
  return false;
}

void addTracePathNotes(const CheckContext& C, const Reachable& R, Finding& F) {
  auto Path = callPathNotes(C, R);
  F.Notes.insert(F.Notes.end(), Path.begin(), Path.end());
  F.Notes.push_back(rootNote(C, *R.Root));
  placeInMainFile(C, R, F);
}

void placeInMainFile(const CheckContext& C, const Reachable& R, Finding& F) {
  const auto& SM = C.Ctx.getSourceManager();
  const auto Main = C.point(SM.getLocForStartOfFile(SM.getMainFileID())).File;
  if (F.Where.File.empty() || F.Where.File == Main) return;
  // A region that lies in the header itself keeps clang-tidy's rule: the header filter decides.
  if (C.point(R.Root->EntryLoc).File != Main) return;
  // The deepest call of the path made in the main file; else the call that starts the region.
  SourceRange Site(R.Root->EntryLoc, R.Root->EntryEndLoc.isValid() ? R.Root->EntryEndLoc : R.Root->EntryLoc);
  for (const auto& Step : R.Path)
    if (C.point(Step.Call->getBeginLoc()).File == Main) Site = Step.Call->getSourceRange();
  auto Name = std::filesystem::path(F.Where.File).filename().string();
  F.Notes.insert(F.Notes.begin(), FindingNote{F.Where, "the hazard itself, in '" + qualifiedNameOf(R.Fn) + "' (" +
                                                           Name + "), reached from this file's traced code"});
  F.Origin = F.Where;
  F.Where = C.point(Site.getBegin());
  F.End = C.endOf(Site);
}

std::optional<std::string> packMessage(const CheckContext& C, const TracedRoot& Root, std::string_view Variant,
                                       const std::string& Subject, const std::string& Source) {
  if (!Root.Messages) return std::nullopt;
  auto It = Root.Messages->find(Variant.empty() ? C.CheckId : C.CheckId + "." + std::string(Variant));
  if (It == Root.Messages->end()) return std::nullopt;
  return fillMessage(It->second, Subject, Root.Name, Source, C.Model.pack().reasonFor(Subject));
}

Finding tracedFinding(const CheckContext& C, SourceRange Range, const TracedRoot& Root, std::string Entity,
                      std::string Message) {
  Finding F;
  F.CheckId = C.CheckId;
  F.Where = C.point(Range.getBegin());
  F.End = C.endOf(Range);
  F.TracedFunction = Root.Name;
  F.TracedFunctionLocation = tracedFunctionSite(C, Root);
  F.Entity = std::move(Entity);
  F.Message = std::move(Message);
  return F;
}

namespace {
class NamedCalls : public RecursiveASTVisitor<NamedCalls> {
 public:
  NamedCalls(const SourceManager& SM, const std::set<std::string>& Names) : SM(SM), Names(Names) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseDecl(Decl* D) {
    if (D && !isa<TranslationUnitDecl>(D) && SM.isInSystemHeader(D->getLocation())) return true;
    auto* FD = dyn_cast_or_null<FunctionDecl>(D);
    bool Body = FD && FD->doesThisDeclarationHaveABody();
    if (Body) Functions.push_back(FD);
    bool R = RecursiveASTVisitor::TraverseDecl(D);
    if (Body) Functions.pop_back();
    return R;
  }
  bool TraverseLambdaExpr(LambdaExpr* L) {
    Functions.push_back(L->getCallOperator());
    bool R = RecursiveASTVisitor::TraverseLambdaExpr(L);
    Functions.pop_back();
    return R;
  }
  bool VisitCallExpr(CallExpr* E) {
    if (const auto* Callee = E->getDirectCallee(); Callee && !Functions.empty() && Names.count(qualifiedNameOf(Callee)))
      Found.emplace_back(E, Functions.back());
    return true;
  }
  std::vector<std::pair<const CallExpr*, const FunctionDecl*>> Found;

 private:
  const SourceManager& SM;
  const std::set<std::string>& Names;
  std::vector<const FunctionDecl*> Functions;
};
}  // namespace

std::vector<std::pair<const CallExpr*, const FunctionDecl*>> callsNamed(ASTContext& Ctx,
                                                                        const std::set<std::string>& Names) {
  NamedCalls V(Ctx.getSourceManager(), Names);
  V.TraverseDecl(Ctx.getTranslationUnitDecl());
  return std::move(V.Found);
}

}  // namespace tracelint
