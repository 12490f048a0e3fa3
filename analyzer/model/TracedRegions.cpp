#include "model/TracedRegions.h"

#include <set>

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace tracelint {

using namespace clang;

std::string qualifiedNameOf(const NamedDecl *D) {
  if (!D) return "";
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  PrintingPolicy Policy(D->getASTContext().getLangOpts());
  Policy.SuppressTemplateArgsInCXXConstructors = true;
  Policy.SuppressUnwrittenScope = true;
  D->printQualifiedName(OS, Policy);
  return OS.str();
}

bool nameMatches(const NamedDecl *D, const std::vector<std::string> &Names) {
  if (!D) return false;
  auto Q = qualifiedNameOf(D);
  for (const auto &N : Names)
    if (Q == N) return true;
  return false;
}

namespace {

bool inLibrary(const NamedDecl *D, const Pack &P) {
  auto Q = qualifiedNameOf(D);
  for (const auto &NS : P.LibraryNamespaces)
    if (Q.rfind(NS + "::", 0) == 0) return true;
  return false;
}

const Expr *stripToCallable(const Expr *E) {
  for (int Guard = 0; E && Guard < 16; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = M->getSubExpr();
    } else if (auto *B = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = B->getSubExpr();
    } else if (auto *C = dyn_cast<CXXConstructExpr>(E); C && C->getNumArgs() == 1 && !isa<CXXTemporaryObjectExpr>(C) &&
                                                         C->getConstructor()->isCopyOrMoveConstructor()) {
      E = C->getArg(0);
    } else if (auto *F = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = F->getSubExpr();
    } else if (auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf) {
      E = U->getSubExpr();
    } else if (auto *W = dyn_cast<ExprWithCleanups>(E)) {
      E = W->getSubExpr();
    } else {
      break;
    }
  }
  return E;
}

const FunctionDecl *callOperatorOf(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition()) return nullptr;
  for (const auto *M : RD->getDefinition()->methods())
    if (M->getOverloadedOperator() == OO_Call) return M;
  return nullptr;
}

const FunctionDecl *withBody(const FunctionDecl *FD) {
  if (!FD) return nullptr;
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def)) return Def;
  if (auto *Pattern = FD->getTemplateInstantiationPattern(); Pattern && Pattern->hasBody(Def)) return FD;
  return nullptr;
}

class RootFinder : public RecursiveASTVisitor<RootFinder> {
 public:
  RootFinder(ASTContext &Ctx, const Pack &P, std::vector<TracedRoot> &Out) : Ctx(Ctx), P(P), Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBodies() const { return true; }

  // System headers hold no user code to trace; skipping them keeps the walk close to free.
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && Ctx.getSourceManager().isInSystemHeader(D->getLocation())) return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  // The variable being initialized names the traced function (`auto step = tl::function(...)`).
  // A stack instead of Clang's parent map: building that map walks the whole TU.
  bool TraverseVarDecl(VarDecl *D) {
    Vars.push_back(D);
    bool Result = RecursiveASTVisitor::TraverseVarDecl(D);
    Vars.pop_back();
    return Result;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    const auto *Class = E->getConstructor()->getParent();
    for (const auto &EP : P.EntryPoints) {
      if (EP.Kind != "construct" || EP.CallableArg >= E->getNumArgs()) continue;
      const NamedDecl *Named = Class;
      if (auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(Class)) Named = Spec->getSpecializedTemplate();
      if (qualifiedNameOf(Named) != EP.Name) continue;
      addRoot(E->getArg(EP.CallableArg), E, E->getBeginLoc(), nameOption(E, EP));
    }
    return true;
  }

  // The name the API gives the traced function (`{.name = "train_step"}`), when the pack says which
  // argument carries the options and which field holds the name; the runtime reports that name.
  std::string nameOption(const CXXConstructExpr *E, const EntryPoint &EP) {
    if (EP.OptionsArg < 0 || static_cast<unsigned>(EP.OptionsArg) >= E->getNumArgs() || EP.NameField.empty()) return "";
    const Expr *O = E->getArg(static_cast<unsigned>(EP.OptionsArg))->IgnoreImplicit();
    for (int Guard = 0; O && Guard < 8; ++Guard) {
      if (auto *M = dyn_cast<MaterializeTemporaryExpr>(O)) O = M->getSubExpr()->IgnoreImplicit();
      else if (auto *B = dyn_cast<CXXBindTemporaryExpr>(O)) O = B->getSubExpr()->IgnoreImplicit();
      else if (auto *C = dyn_cast<CXXConstructExpr>(O); C && C->getNumArgs() == 1) O = C->getArg(0)->IgnoreImplicit();
      else break;
    }
    const auto *IL = dyn_cast_or_null<InitListExpr>(O);
    if (!IL) return "";
    if (IL->isSyntacticForm() && IL->getSemanticForm()) IL = IL->getSemanticForm();
    const auto *RD = IL->getType()->getAsRecordDecl();
    if (!RD) return "";
    unsigned Index = 0;
    for (const auto *F : RD->fields()) {
      if (Index >= IL->getNumInits()) break;
      if (F->getName() == EP.NameField) {
        const Expr *Init = IL->getInit(Index)->IgnoreImplicit();
        for (int Guard = 0; Init && Guard < 8; ++Guard) {
          if (auto *S = dyn_cast<StringLiteral>(Init)) return S->getString().str();
          if (auto *C = dyn_cast<CXXConstructExpr>(Init); C && C->getNumArgs() >= 1) Init = C->getArg(0)->IgnoreImplicit();
          else if (auto *B = dyn_cast<CXXBindTemporaryExpr>(Init)) Init = B->getSubExpr()->IgnoreImplicit();
          else if (auto *M = dyn_cast<MaterializeTemporaryExpr>(Init)) Init = M->getSubExpr()->IgnoreImplicit();
          else break;
        }
        return "";
      }
      ++Index;
    }
    return "";
  }

  bool VisitCallExpr(CallExpr *E) {
    const auto *Callee = E->getDirectCallee();
    if (!Callee) return true;
    for (const auto &EP : P.EntryPoints) {
      if (EP.Kind != "call" || EP.CallableArg >= E->getNumArgs()) continue;
      if (qualifiedNameOf(Callee) != EP.Name) continue;
      addRoot(E->getArg(EP.CallableArg), E, E->getBeginLoc(), "");
    }
    return true;
  }

 private:
  void addRoot(const Expr *Arg, const Expr *Entry, SourceLocation Loc, const std::string &GivenName) {
    const Expr *E = stripToCallable(Arg);
    TracedRoot R;
    R.EntryLoc = Loc;
    for (int Guard = 0; E && Guard < 4 && !R.Callable; ++Guard) {
      if (auto *L = dyn_cast<LambdaExpr>(E)) {
        R.Lambda = L;
        R.Callable = L->getCallOperator();
      } else if (auto *DRE = dyn_cast<DeclRefExpr>(E)) {
        if (auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
          R.Callable = withBody(FD);
          if (!R.Callable) return;
          R.Name = FD->getNameAsString();
        } else if (auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
          if (VD->getInit() && !VD->getType()->isReferenceType()) {
            E = stripToCallable(VD->getInit());
            continue;
          }
          R.Callable = withBody(callOperatorOf(VD->getType()));
        }
        break;
      } else {
        R.Callable = withBody(callOperatorOf(E->getType()));
        break;
      }
    }
    if (!R.Callable) return;
    if (!GivenName.empty()) R.Name = GivenName;
    if (R.Name.empty() && !Vars.empty() && Vars.back()->getInit() &&
        Vars.back()->getInit()->getBeginLoc() == Entry->getBeginLoc())
      R.Name = Vars.back()->getNameAsString();
    if (R.Name.empty()) {
      auto PL = Ctx.getSourceManager().getPresumedLoc(Ctx.getSourceManager().getFileLoc(Loc));
      R.Name = PL.isValid() ? "lambda at line " + std::to_string(PL.getLine()) : "traced lambda";
    }
    for (const auto &Existing : Out)
      if (Existing.Callable == R.Callable && Existing.EntryLoc == R.EntryLoc) return;
    Out.push_back(R);
  }

  ASTContext &Ctx;
  const Pack &P;
  std::vector<TracedRoot> &Out;
  std::vector<const VarDecl *> Vars;
};

// Calls in one function body; nested lambda bodies are separate functions, reached when called.
class CallCollector : public RecursiveASTVisitor<CallCollector> {
 public:
  std::vector<std::pair<const CallExpr *, const FunctionDecl *>> Calls;
  std::vector<std::pair<const CXXConstructExpr *, const FunctionDecl *>> Constructs;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *E) {
    if (auto *FD = E->getDirectCallee()) Calls.emplace_back(E, FD);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    Constructs.emplace_back(E, E->getConstructor());
    return true;
  }
};

}  // namespace

TracedRegionModel::TracedRegionModel(ASTContext &C, const Pack &P) : Ctx(C), ThePack(P) {
  findRoots();
  propagate();
}

void TracedRegionModel::findRoots() {
  RootFinder F(Ctx, ThePack, Roots);
  F.TraverseDecl(Ctx.getTranslationUnitDecl());
}

void TracedRegionModel::propagate() {
  const auto &SM = Ctx.getSourceManager();
  std::set<std::pair<const FunctionDecl *, const TracedRoot *>> Seen;
  for (const auto &R : Roots) {
    std::vector<Reachable> Work{{R.Callable, &R, {}}};
    while (!Work.empty()) {
      Reachable Cur = std::move(Work.back());
      Work.pop_back();
      if (!Seen.insert({Cur.Fn, Cur.Root}).second) continue;
      Reach.push_back(Cur);
      const FunctionDecl *Def = nullptr;
      if (!Cur.Fn->hasBody(Def) || !Def->getBody()) continue;
      CallCollector C;
      C.TraverseStmt(Def->getBody());
      auto Visit = [&](const FunctionDecl *Callee, const Expr *Call) {
        Callee = withBody(Callee);
        if (!Callee || SM.isInSystemHeader(Callee->getLocation()) || inLibrary(Callee, ThePack)) return;
        if (Cur.Path.size() > 64) return;  // deep chains: keep the first 64 frames
        Reachable Next{Callee, Cur.Root, Cur.Path};
        Next.Path.push_back({Call, Cur.Fn});
        Work.push_back(std::move(Next));
      };
      for (auto [Call, Callee] : C.Calls) Visit(Callee, Call);
      for (auto [Construct, Ctor] : C.Constructs) Visit(Ctor, Construct);
    }
  }
}

bool TracedRegionModel::isStateHandleType(QualType T) const {
  T = T.getNonReferenceType();
  while (T->isPointerType()) T = T->getPointeeType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD) return false;
  if (nameMatches(RD, ThePack.StateHandleTypes)) return true;
  if (!RD->hasDefinition()) return false;
  bool Derived = false;
  RD->getDefinition()->forallBases([&](const CXXRecordDecl *Base) {
    Derived |= nameMatches(Base, ThePack.StateHandleTypes);
    return true;
  });
  return Derived;
}

bool TracedRegionModel::isGraphEffect(const FunctionDecl *FD) const { return nameMatches(FD, ThePack.GraphEffects); }

}  // namespace tracelint
