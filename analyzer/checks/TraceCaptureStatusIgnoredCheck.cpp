// A capture lifecycle call (the calls a pack lists in a capture region's status_calls: begin, end,
// instantiate, launch) whose returned status is dropped. Unlike the region checks it looks at every
// function of the file, since instantiation and launch happen outside regions. Dropped: the call is
// an expression statement, or its status is stored in a local variable whose value is never read
// afterwards (overwritten or out of scope first, on every path of the function's CFG). Not dropped: a call written as a
// macro argument (a check macro such as CUDA_CHECK/HIP_CHECK/checkCudaErrors is trusted to check it), a status
// compared, returned, passed on or tested, and an explicit cast to void (a deliberate discard, as with [[nodiscard]]).
#include "checks/TraceCaptureStatusIgnoredCheck.h"

#include <map>
#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceCaptureStatusIgnoredCheck> Registration("trace-capture-status-ignored");

struct Site {
  const CallExpr* Call;
  const FunctionDecl* In;
  const CaptureRegion* Kind;
};

// Where the status of Call goes: nowhere (an expression statement), into a local variable, or
// somewhere that uses it.
struct StatusUse {
  enum { Used, Dropped, Stored } Kind = Used;
  const VarDecl* Var = nullptr;
  const Stmt* Store = nullptr;  // the assignment or declaration storing it
};

StatusUse useOf(const CallExpr* Call, const ParentMap& PM) {
  const Stmt* Child = Call;
  const Stmt* P = PM.getParent(Child);
  while (P && (isa<ParenExpr>(P) || isa<ImplicitCastExpr>(P) || isa<FullExpr>(P) || isa<MaterializeTemporaryExpr>(P) ||
               isa<CXXBindTemporaryExpr>(P))) {
    Child = P;
    P = PM.getParent(P);
  }
  StatusUse U;
  if (!P) return U;
  if (isa<CompoundStmt>(P) || isa<LabelStmt>(P) || isa<SwitchCase>(P)) {
    U.Kind = StatusUse::Dropped;
  } else if (const auto* If = dyn_cast<IfStmt>(P)) {
    if (Child != If->getCond()) U.Kind = StatusUse::Dropped;
  } else if (const auto* For = dyn_cast<ForStmt>(P)) {
    if (Child == For->getBody() || Child == For->getInc() || Child == For->getInit()) U.Kind = StatusUse::Dropped;
  } else if (const auto* While = dyn_cast<WhileStmt>(P)) {
    if (Child == While->getBody()) U.Kind = StatusUse::Dropped;
  } else if (const auto* Do = dyn_cast<DoStmt>(P)) {
    if (Child == Do->getBody()) U.Kind = StatusUse::Dropped;
  } else if (const auto* B = dyn_cast<BinaryOperator>(P)) {
    if (B->getOpcode() == BO_Comma && Child == B->getLHS()) U.Kind = StatusUse::Dropped;
    if (B->getOpcode() == BO_Assign && Child == B->getRHS())
      if (const auto* Ref = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts()))
        if (const auto* V = dyn_cast<VarDecl>(Ref->getDecl())) U = {StatusUse::Stored, V, B};
  } else if (const auto* D = dyn_cast<DeclStmt>(P)) {
    if (D->isSingleDecl())
      if (const auto* V = dyn_cast<VarDecl>(D->getSingleDecl())) U = {StatusUse::Stored, V, D};
  }
  return U;
}

// Can liveness speak for V: an automatic local of its function, not a reference, and never reached
// other than by name (its address taken, captured by a lambda)?
bool plainLocal(const VarDecl* V, const Stmt* Body) {
  if (!V->hasLocalStorage() || V->getType()->isReferenceType() || isa<ParmVarDecl>(V)) return false;
  bool Escapes = false;
  std::function<void(const Stmt*)> Walk = [&](const Stmt* S) {
    if (!S || Escapes) return;
    if (const auto* U = dyn_cast<UnaryOperator>(S); U && U->getOpcode() == UO_AddrOf)
      if (const auto* Ref = dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParenImpCasts()); Ref && Ref->getDecl() == V)
        Escapes = true;
    if (const auto* L = dyn_cast<LambdaExpr>(S))
      for (const auto& Capture : L->captures())
        if (Capture.capturesVariable() && Capture.getCapturedVar() == V) Escapes = true;
    for (const Stmt* Child : S->children()) Walk(Child);
  };
  Walk(Body);
  return !Escapes;
}

// Is the value Store puts into Var read afterwards: on some path of the function's CFG, a use of Var
// (any reference but the left side of a plain assignment) before the next assignment to it?
bool storedValueRead(const FunctionDecl* FD, ASTContext& Ctx, const Stmt* Store, const VarDecl* Var) {
  CFG::BuildOptions Options;
  Options.setAllAlwaysAdd();  // every reference an element, in evaluation order
  auto Graph = CFG::buildCFG(FD, FD->getBody(), &Ctx, Options);
  if (!Graph) return true;                // nothing known: not reported
  std::set<const DeclRefExpr*> Assigned;  // left sides of plain assignments to Var
  const CFGBlock* StoreBlock = nullptr;
  unsigned StoreIndex = 0;
  for (const CFGBlock* B : *Graph)
    for (unsigned I = 0; I < B->size(); ++I)
      if (auto S = (*B)[I].getAs<CFGStmt>()) {
        const Stmt* X = S->getStmt();
        if (const auto* A = dyn_cast<BinaryOperator>(X); A && A->getOpcode() == BO_Assign)
          if (const auto* Ref = dyn_cast<DeclRefExpr>(A->getLHS()->IgnoreParens()); Ref && Ref->getDecl() == Var)
            Assigned.insert(Ref);
        const auto* D = dyn_cast<DeclStmt>(X);
        if (X == Store || (D && isa<DeclStmt>(Store) && D->isSingleDecl() && D->getSingleDecl() == Var))
          StoreBlock = B, StoreIndex = I;
      }
  if (!StoreBlock) return true;
  // 1: read; -1: overwritten first; 0: neither in [From, end of B).
  auto Scan = [&](const CFGBlock* B, unsigned From) {
    for (unsigned I = From; I < B->size(); ++I)
      if (auto S = (*B)[I].getAs<CFGStmt>()) {
        if (const auto* A = dyn_cast<BinaryOperator>(S->getStmt()); A && A->getOpcode() == BO_Assign)
          if (const auto* Ref = dyn_cast<DeclRefExpr>(A->getLHS()->IgnoreParens()); Ref && Assigned.count(Ref))
            return -1;
        if (const auto* Ref = dyn_cast<DeclRefExpr>(S->getStmt()); Ref && Ref->getDecl() == Var && !Assigned.count(Ref))
          return 1;
      }
    return 0;
  };
  // The assignment's own left side precedes it in evaluation order: start after the store.
  int First = Scan(StoreBlock, StoreIndex + 1);
  if (First != 0) return First > 0;
  std::set<const CFGBlock*> Seen;
  std::vector<const CFGBlock*> Work(StoreBlock->succ_begin(), StoreBlock->succ_end());
  while (!Work.empty()) {
    const CFGBlock* B = Work.back();
    Work.pop_back();
    if (!B || !Seen.insert(B).second) continue;
    int R = Scan(B, 0);
    if (R > 0) return true;
    if (R == 0) Work.insert(Work.end(), B->succ_begin(), B->succ_end());
  }
  return false;
}
}  // namespace

void TraceCaptureStatusIgnoredCheck::run(const CheckContext& C) {
  std::map<std::string, const CaptureRegion*> Names;
  for (const auto& Kind : C.Model.pack().CaptureRegions)
    for (const auto& Name : Kind.StatusCalls) Names.emplace(Name, &Kind);
  if (Names.empty()) return;
  const auto& SM = C.Ctx.getSourceManager();
  std::set<std::string> Wanted;
  for (const auto& [Name, Kind] : Names) Wanted.insert(Name);
  std::vector<Site> Found;
  for (const auto& [Call, In] : callsNamed(C.Ctx, Wanted))
    Found.push_back({Call, In, Names.at(qualifiedNameOf(Call->getDirectCallee()))});
  std::map<const FunctionDecl*, std::unique_ptr<ParentMap>> Parents;
  std::map<const FunctionDecl*, std::map<const Stmt*, const VarDecl*>> Stores;
  std::vector<std::pair<const Site*, StatusUse>> Reports;
  for (const auto& Site : Found) {
    // A macro argument: the macro is trusted to check it (CUDA_CHECK, HIP_CHECK, checkCudaErrors).
    if (SM.isMacroArgExpansion(Site.Call->getBeginLoc()) ||
        SM.isInSystemHeader(SM.getFileLoc(Site.Call->getBeginLoc())))
      continue;
    const Stmt* Body = Site.In->getBody();
    auto& PM = Parents[Site.In];
    if (!PM) PM = std::make_unique<ParentMap>(const_cast<Stmt*>(Body));
    auto Use = useOf(Site.Call, *PM);
    if (Use.Kind == StatusUse::Used) continue;
    if (Use.Kind == StatusUse::Stored) {
      const auto* Owner = dyn_cast<FunctionDecl>(Use.Var->getDeclContext());
      if (Owner != Site.In || !plainLocal(Use.Var, Body)) continue;
      Stores[Site.In][Use.Store] = Use.Var;
    }
    Reports.push_back({&Site, Use});
  }
  std::set<const Stmt*> Dead;
  for (const auto& [FD, FnStores] : Stores)
    for (const auto& [Store, Var] : FnStores)
      if (!storedValueRead(FD, C.Ctx, Store, Var)) Dead.insert(Store);
  std::set<std::tuple<std::string, unsigned, unsigned>> Seen;  // once per place, not per instantiation
  for (const auto& [Site, Use] : Reports) {
    if (Use.Kind == StatusUse::Stored && !Dead.count(Use.Store)) continue;
    auto P = C.point(Site->Call->getBeginLoc());
    if (!Seen.insert({P.File, P.Line, P.Column}).second || !Site->Kind->Messages) continue;
    std::string Key = C.CheckId + (Use.Kind == StatusUse::Stored ? ".unread" : "");
    auto It = Site->Kind->Messages->find(Key);
    if (It == Site->Kind->Messages->end()) continue;
    std::string Callee = qualifiedNameOf(Site->Call->getDirectCallee());
    std::string Function = Site->In->getNameAsString();
    if (const auto* M = dyn_cast<CXXMethodDecl>(Site->In); M && M->getParent()->isLambda()) Function = "a lambda";
    Finding F;
    F.CheckId = C.CheckId;
    F.Where = P;
    F.End = C.endOf(Site->Call->getSourceRange());
    F.TracedFunction = Function;
    F.Entity = Callee + "@" + locationString(C, Site->Call->getBeginLoc());
    F.Message = fillMessage(It->second, Callee, Function, Use.Var ? Use.Var->getNameAsString() : "");
    C.Report(std::move(F));
  }
}

}  // namespace tracelint
