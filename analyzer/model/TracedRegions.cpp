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
      addRoot(E->getArg(EP.CallableArg), E, E->getBeginLoc(), nameOption(E, EP), hasRetraceOptions(E, EP));
    }
    return true;
  }

  // The options aggregate handed to the entry point (`{.name = "train_step", ...}`), semantic form.
  static const InitListExpr *optionsOf(const CXXConstructExpr *E, const EntryPoint &EP) {
    if (EP.OptionsArg < 0 || static_cast<unsigned>(EP.OptionsArg) >= E->getNumArgs()) return nullptr;
    const Expr *O = E->getArg(static_cast<unsigned>(EP.OptionsArg))->IgnoreImplicit();
    for (int Guard = 0; O && Guard < 8; ++Guard) {
      if (auto *M = dyn_cast<MaterializeTemporaryExpr>(O)) O = M->getSubExpr()->IgnoreImplicit();
      else if (auto *B = dyn_cast<CXXBindTemporaryExpr>(O)) O = B->getSubExpr()->IgnoreImplicit();
      else if (auto *C = dyn_cast<CXXConstructExpr>(O); C && C->getNumArgs() == 1) O = C->getArg(0)->IgnoreImplicit();
      else break;
    }
    const auto *IL = dyn_cast_or_null<InitListExpr>(O);
    if (IL && IL->isSyntacticForm() && IL->getSemanticForm()) IL = IL->getSemanticForm();
    return IL;
  }

  // The initializer the code writes for a field (designated `.name = ...` or positional); fields it
  // leaves out are nullptr even though the semantic form value-initializes them.
  static const Expr *optionField(const InitListExpr *IL, const std::string &Field) {
    if (!IL) return nullptr;
    const auto *RD = IL->getType()->getAsRecordDecl();
    if (!RD) return nullptr;
    const InitListExpr *Syn = IL->isSemanticForm() && IL->getSyntacticForm() ? IL->getSyntacticForm() : IL;
    unsigned FieldIndex = 0, Wanted = ~0u;
    for (const auto *F : RD->fields()) {
      if (F->getName() == Field) Wanted = FieldIndex;
      ++FieldIndex;
    }
    if (Wanted == ~0u) return nullptr;
    unsigned Position = 0;
    for (unsigned I = 0; I < Syn->getNumInits(); ++I) {
      const Expr *Init = Syn->getInit(I);
      if (const auto *D = dyn_cast<DesignatedInitExpr>(Init)) {
        const auto *Des = D->getDesignator(0);
        if (Des && Des->isFieldDesignator() && Des->getFieldName() && Des->getFieldName()->getName() == Field)
          return D->getInit();
        if (Des && Des->isFieldDesignator() && Des->getFieldDecl()) Position = Des->getFieldDecl()->getFieldIndex() + 1;
        continue;
      }
      if (Position == Wanted) return Init;
      ++Position;
    }
    return nullptr;
  }

  // The name the API gives the traced function; the runtime reports that name.
  static std::string nameOption(const CXXConstructExpr *E, const EntryPoint &EP) {
    if (EP.NameField.empty()) return "";
    const Expr *Init = optionField(optionsOf(E, EP), EP.NameField);
    for (int Guard = 0; Init && Guard < 8; ++Guard) {
      Init = Init->IgnoreImplicit();
      if (auto *S = dyn_cast<StringLiteral>(Init)) return S->getString().str();
      if (auto *C = dyn_cast<CXXConstructExpr>(Init); C && C->getNumArgs() >= 1) Init = C->getArg(0);
      else if (auto *B = dyn_cast<CXXBindTemporaryExpr>(Init)) Init = B->getSubExpr();
      else if (auto *M = dyn_cast<MaterializeTemporaryExpr>(Init)) Init = M->getSubExpr();
      else break;
    }
    return "";
  }

  static bool hasRetraceOptions(const CXXConstructExpr *E, const EntryPoint &EP) {
    const auto *IL = optionsOf(E, EP);
    for (const auto &F : EP.RetraceOptions)
      if (optionField(IL, F)) return true;
    return false;
  }

  bool VisitCallExpr(CallExpr *E) {
    const auto *Callee = E->getDirectCallee();
    if (!Callee) return true;
    for (const auto &EP : P.EntryPoints) {
      if (EP.Kind != "call" || EP.CallableArg >= E->getNumArgs()) continue;
      if (qualifiedNameOf(Callee) != EP.Name) continue;
      addRoot(E->getArg(EP.CallableArg), E, E->getBeginLoc(), "", false);
    }
    return true;
  }

 private:
  void addRoot(const Expr *Arg, const Expr *Entry, SourceLocation Loc, const std::string &GivenName, bool RetraceOptions) {
    const Expr *E = stripToCallable(Arg);
    TracedRoot R;
    R.EntryLoc = Loc;
    R.EntryEndLoc = Entry->getEndLoc();
    R.HasRetraceOptions = RetraceOptions;
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
    if (!Vars.empty() && Vars.back()->getInit() && Vars.back()->getInit()->getBeginLoc() == Entry->getBeginLoc()) {
      R.Holder = Vars.back();
      if (R.Name.empty()) R.Name = Vars.back()->getNameAsString();
    }
    if (!GivenName.empty()) R.Name = GivenName;
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
  std::vector<const DeclRefExpr *> VarRefs;
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (isa<VarDecl>(E->getDecl())) VarRefs.push_back(E);
    return true;
  }
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
  for (const auto &Entry : P.ShapeFunctions) {
    auto Open = Entry.find('(');
    auto &Params = ShapeParams[Entry.substr(0, Open)];
    if (Open == std::string::npos) continue;
    std::string List = Entry.substr(Open + 1, Entry.rfind(')') - Open - 1);
    for (std::size_t Begin = 0; Begin <= List.size();) {
      auto End = List.find(',', Begin);
      if (End == std::string::npos) End = List.size();
      auto Name = List.substr(Begin, End - Begin);
      Name.erase(0, Name.find_first_not_of(' '));
      Name.erase(Name.find_last_not_of(' ') + 1);
      if (!Name.empty()) Params.insert(Name);
      Begin = End + 1;
    }
  }
  findRoots();
  propagate();
  for (const auto &R : Reach) ReachableSet.insert(R.Fn->getCanonicalDecl());
  // Reach is complete, so pointers into it are stable from here on.
  for (const auto &[Index, Call, Callee] : PendingOpen) Open.push_back({&Reach[Index], Call, Callee});
  for (const auto &[Index, Call, Callee] : PendingSites)
    Sites[{Callee->getCanonicalDecl(), Reach[Index].Root}].push_back({Call, &Reach[Index]});
  findCalls();
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
      auto &RootReads = Reads[Cur.Root];
      for (const auto *Ref : C.VarRefs) RootReads.emplace(cast<VarDecl>(Ref->getDecl()), Ref);
      // A lambda's captures are read where the closure is created; they belong to its body too.
      if (const auto *M = dyn_cast<CXXMethodDecl>(Cur.Fn); M && M->getParent()->isLambda() && Cur.Root->Lambda &&
                                                           Cur.Root->Callable == Cur.Fn) {
        for (const auto &Cap : Cur.Root->Lambda->captures())
          if (Cap.capturesVariable())
            if (auto *VD = dyn_cast<VarDecl>(Cap.getCapturedVar())) RootReads.emplace(VD, nullptr);
      }
      std::size_t FromIndex = Reach.size() - 1;
      auto Visit = [&](const FunctionDecl *Callee, const Expr *Call) {
        const FunctionDecl *Declared = Callee;
        Callee = withBody(Callee);
        if (!Declared || SM.isInSystemHeader(Declared->getLocation()) || inLibrary(Declared, ThePack)) return;
        if (!Callee) {
          // Defined in another file, maybe: resolved through that file's summary when it is analyzed too.
          if (!isa<CXXMethodDecl>(Declared) || cast<CXXMethodDecl>(Declared)->isStatic())
            PendingOpen.emplace_back(FromIndex, Call, Declared);
          return;
        }
        PendingSites.emplace_back(FromIndex, Call, Callee);
        Reachable Next{Callee, Cur.Root, Cur.Path, Cur.HiddenFrames};
        if (Next.Path.size() < kMaxPathFrames)
          Next.Path.push_back({Call, Cur.Fn});
        else
          ++Next.HiddenFrames;
        Work.push_back(std::move(Next));
      };
      for (auto [Call, Callee] : C.Calls) Visit(Callee, Call);
      for (auto [Construct, Ctor] : C.Constructs) Visit(Ctor, Construct);
    }
  }
}

bool TracedRegionModel::derivesFrom(QualType T, const std::vector<std::string> &Names) const {
  T = T.getNonReferenceType();
  while (T->isPointerType()) T = T->getPointeeType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD) return false;
  if (nameMatches(RD, Names)) return true;
  if (!RD->hasDefinition()) return false;
  bool Derived = false;
  RD->getDefinition()->forallBases([&](const CXXRecordDecl *Base) {
    Derived |= nameMatches(Base, Names);
    return true;
  });
  return Derived;
}

// std::optional<H>, std::unique_ptr<H> and std::shared_ptr<H> of a state handle are its holders in
// the create-once pattern: they count as state handles too.
bool TracedRegionModel::isStateHandleType(QualType T) const {
  if (derivesFrom(T, ThePack.StateHandleTypes)) return true;
  T = T.getNonReferenceType();
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl())) {
    auto Name = qualifiedNameOf(Spec->getSpecializedTemplate());
    if ((Name == "std::optional" || Name == "std::unique_ptr" || Name == "std::shared_ptr") && Spec->getTemplateArgs().size() > 0 &&
        Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
      return derivesFrom(Spec->getTemplateArgs()[0].getAsType(), ThePack.StateHandleTypes);
  }
  return false;
}
bool TracedRegionModel::isVariableCreatingType(QualType T) const { return derivesFrom(T, ThePack.VariableCreatingTypes); }
bool TracedRegionModel::isSymbolicTensorType(QualType T) const { return derivesFrom(T, ThePack.SymbolicTensorTypes); }
bool TracedRegionModel::isShapeFunction(const FunctionDecl *FD) const { return FD && ShapeParams.count(qualifiedNameOf(FD)); }

bool TracedRegionModel::isShapeParameter(const FunctionDecl *FD, unsigned Index) const {
  auto It = FD ? ShapeParams.find(qualifiedNameOf(FD)) : ShapeParams.end();
  if (It == ShapeParams.end() || Index >= FD->getNumParams()) return false;
  const auto *P = FD->getParamDecl(Index);
  if (!It->second.empty()) return It->second.count(P->getNameAsString()) != 0;
  QualType T = P->getType().getNonReferenceType();
  if (isSymbolicTensorType(T)) return false;
  // Shapes come in containers (a value, a seed or a dtype does not change the shape), except for
  // functions whose scalar arguments make the shape (arange).
  return !(T->isArithmeticType() || T->isEnumeralType()) || nameMatches(FD, ThePack.ShapeFromScalarArgs);
}

const std::vector<CallSite> &TracedRegionModel::callSitesOf(const FunctionDecl *Fn, const TracedRoot *Root) const {
  static const std::vector<CallSite> None;
  auto It = Sites.find({Fn->getCanonicalDecl(), Root});
  return It == Sites.end() ? None : It->second;
}

bool TracedRegionModel::isTraceReachable(const FunctionDecl *FD) const {
  return FD && ReachableSet.count(FD->getCanonicalDecl()) != 0;
}

const std::map<const VarDecl *, const DeclRefExpr *> &TracedRegionModel::readsOf(const TracedRoot *R) const {
  static const std::map<const VarDecl *, const DeclRefExpr *> Empty;
  auto It = Reads.find(R);
  return It == Reads.end() ? Empty : It->second;
}

namespace {
// Calls of traced function objects in host code, with the innermost loop around each.
class HostCallFinder : public RecursiveASTVisitor<HostCallFinder> {
 public:
  HostCallFinder(ASTContext &Ctx, const std::vector<TracedRoot> &Roots, const TracedRegionModel &M, std::vector<TracedCall> &Out)
      : Ctx(Ctx), Roots(Roots), M(M), Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && Ctx.getSourceManager().isInSystemHeader(D->getLocation())) return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool TraverseFunctionDecl(FunctionDecl *FD) { return withFunction(FD, [&] { return RecursiveASTVisitor::TraverseFunctionDecl(FD); }); }
  bool TraverseCXXMethodDecl(CXXMethodDecl *FD) { return withFunction(FD, [&] { return RecursiveASTVisitor::TraverseCXXMethodDecl(FD); }); }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    return withFunction(L->getCallOperator(), [&] { return RecursiveASTVisitor::TraverseLambdaExpr(L); });
  }
  bool TraverseForStmt(ForStmt *S) { return withLoop(S, [&] { return RecursiveASTVisitor::TraverseForStmt(S); }); }
  bool TraverseWhileStmt(WhileStmt *S) { return withLoop(S, [&] { return RecursiveASTVisitor::TraverseWhileStmt(S); }); }
  bool TraverseDoStmt(DoStmt *S) { return withLoop(S, [&] { return RecursiveASTVisitor::TraverseDoStmt(S); }); }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt *S) {
    return withLoop(S, [&] { return RecursiveASTVisitor::TraverseCXXForRangeStmt(S); });
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *E) {
    if (E->getOperator() != OO_Call || E->getNumArgs() == 0 || Functions.empty()) return true;
    const auto *Caller = Functions.back();
    if (M.isTraceReachable(Caller)) return true;  // a call inside traced code is inlined, not a host call
    const Stmt *Loop = Loops.empty() ? nullptr : Loops.back().second;
    const auto *Ref = dyn_cast<DeclRefExpr>(E->getArg(0)->IgnoreImplicit());
    if (Ref) {
      for (const auto &R : Roots)
        if (R.Holder && R.Holder == Ref->getDecl()) {
          Out.push_back({E, &R, Caller, Loop});
          return true;
        }
    }
    // A function object reached through a reference (a parameter, a template): its type says which
    // callable it traces, when that callable is a lambda of its own type.
    const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(E->getArg(0)->getType()->getAsCXXRecordDecl());
    if (!Spec || Spec->getTemplateArgs().size() == 0 || Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type) return true;
    const auto *Closure = Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
    if (!Closure) return true;
    for (const auto &R : Roots)
      if (R.Lambda && R.Lambda->getLambdaClass() == Closure) {
        Out.push_back({E, &R, Caller, Loop});
        break;
      }
    return true;
  }

 private:
  template <class F>
  bool withFunction(const FunctionDecl *FD, F Body) {
    Functions.push_back(FD);
    auto Saved = std::move(Loops);
    Loops.clear();
    bool R = Body();
    Loops = std::move(Saved);
    Functions.pop_back();
    return R;
  }
  template <class F>
  bool withLoop(const Stmt *S, F Body) {
    Loops.emplace_back(Functions.empty() ? nullptr : Functions.back(), S);
    bool R = Body();
    Loops.pop_back();
    return R;
  }
  ASTContext &Ctx;
  const std::vector<TracedRoot> &Roots;
  const TracedRegionModel &M;
  std::vector<TracedCall> &Out;
  std::vector<const FunctionDecl *> Functions;
  std::vector<std::pair<const FunctionDecl *, const Stmt *>> Loops;
};
}  // namespace

void TracedRegionModel::findCalls() {
  if (Roots.empty()) return;
  HostCallFinder F(Ctx, Roots, *this, Calls);
  F.TraverseDecl(Ctx.getTranslationUnitDecl());
}

bool TracedRegionModel::isGraphEffect(const FunctionDecl *FD) const { return nameMatches(FD, ThePack.GraphEffects); }

}  // namespace tracelint
