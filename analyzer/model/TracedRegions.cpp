#include "model/TracedRegions.h"

#include <cstdint>
#include <set>

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "model/Summaries.h"

namespace tracelint {

using namespace clang;

std::string qualifiedNameOf(const NamedDecl* D) {
  if (!D) return "";
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  PrintingPolicy Policy(D->getASTContext().getLangOpts());
  Policy.SuppressTemplateArgsInCXXConstructors = true;
  Policy.SuppressUnwrittenScope = true;
  D->printQualifiedName(OS, Policy);
  return OS.str();
}

bool nameMatches(const NamedDecl* D, const std::vector<std::string>& Names) {
  if (!D) return false;
  auto Q = qualifiedNameOf(D);
  for (const auto& N : Names)
    if (Q == N) return true;
  return false;
}

namespace {

bool inLibrary(const NamedDecl* D, const Pack& P) {
  auto Q = qualifiedNameOf(D);
  for (const auto& NS : P.LibraryNamespaces)
    if (Q.rfind(NS + "::", 0) == 0) return true;
  return false;
}

// A lambda, or a function named directly or through a pointer.
bool isCallableValue(const Expr* E) {
  E = E->IgnoreParenImpCasts();
  if (auto* M = dyn_cast<MaterializeTemporaryExpr>(E)) E = M->getSubExpr()->IgnoreParenImpCasts();
  if (isa<LambdaExpr>(E)) return true;
  if (auto* U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenImpCasts();
  if (auto* D = dyn_cast<DeclRefExpr>(E)) return isa<FunctionDecl>(D->getDecl());
  return false;
}

// Device code (CUDA/HIP __global__ and __device__ functions) is not host code: a kernel launch
// records the kernel, it does not run its body on the host.
bool isDeviceCode(const FunctionDecl* FD) {
  return FD->hasAttr<CUDAGlobalAttr>() || (FD->hasAttr<CUDADeviceAttr>() && !FD->hasAttr<CUDAHostAttr>());
}

// The text of an expression as written (macro arguments as the user wrote them), without spaces:
// two calls name the same handle when they spell it the same way.
std::string spelling(const Expr* E, const ASTContext& Ctx) {
  if (!E) return "";
  const auto& SM = Ctx.getSourceManager();
  // A handle written as a macro argument (CUDA_CHECK(cudaStreamBeginCapture(s, ...))) is spelled in
  // the file; getFileLoc finds it there instead of at the macro's name.
  E = E->IgnoreParenImpCasts();
  auto Range = CharSourceRange::getTokenRange(SM.getFileLoc(E->getBeginLoc()), SM.getFileLoc(E->getEndLoc()));
  std::string Text = Lexer::getSourceText(Range, SM, Ctx.getLangOpts()).str();
  std::erase_if(Text, [](char C) { return C == ' ' || C == '\n' || C == '\t'; });
  if (!Text.empty() && Text[0] == '&') Text.erase(0, 1);
  return Text;
}

const Expr* stripToCallable(const Expr* E) {
  for (int Guard = 0; E && Guard < 16; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (auto* M = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = M->getSubExpr();
    } else if (auto* B = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = B->getSubExpr();
    } else if (auto* C = dyn_cast<CXXConstructExpr>(E); C && C->getNumArgs() == 1 && !isa<CXXTemporaryObjectExpr>(C) &&
                                                        C->getConstructor()->isCopyOrMoveConstructor()) {
      E = C->getArg(0);
    } else if (auto* C = dyn_cast<CXXConstructExpr>(E);
               C && C->getNumArgs() == 1 && !isa<CXXTemporaryObjectExpr>(C) && isCallableValue(C->getArg(0))) {
      // A type-erasing wrapper (std::function) built from the callable: the callable is what runs.
      E = C->getArg(0);
    } else if (auto* F = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = F->getSubExpr();
    } else if (auto* U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf) {
      E = U->getSubExpr();
    } else if (auto* W = dyn_cast<ExprWithCleanups>(E)) {
      E = W->getSubExpr();
    } else {
      break;
    }
  }
  return E;
}

const FunctionDecl* callOperatorOf(QualType T) {
  const auto* RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition()) return nullptr;
  for (const auto* M : RD->getDefinition()->methods())
    if (M->getOverloadedOperator() == OO_Call) return M;
  return nullptr;
}

const FunctionDecl* withBody(const FunctionDecl* FD) {
  if (!FD) return nullptr;
  const FunctionDecl* Def = nullptr;
  if (FD->hasBody(Def)) return Def;
  if (auto* Pattern = FD->getTemplateInstantiationPattern(); Pattern && Pattern->hasBody(Def)) return FD;
  return nullptr;
}

}  // namespace

std::string captureHandleOf(const CallExpr* Call, const CaptureRegion& Kind, const ASTContext& Ctx) {
  const Expr* Handle = nullptr;
  if (Kind.HandleArg < 0) {
    if (auto* M = dyn_cast<CXXMemberCallExpr>(Call)) Handle = M->getImplicitObjectArgument();
  } else if (static_cast<unsigned>(Kind.HandleArg) < Call->getNumArgs()) {
    Handle = Call->getArg(static_cast<unsigned>(Kind.HandleArg));
  }
  return spelling(Handle, Ctx);
}

namespace {

class RootFinder : public RecursiveASTVisitor<RootFinder> {
 public:
  RootFinder(ASTContext& Ctx, const Pack& P, std::vector<TracedRoot>& Out) : Ctx(Ctx), P(P), Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBodies() const { return true; }

  // System headers hold no user code to trace; skipping them keeps the walk close to free.
  bool TraverseDecl(Decl* D) {
    if (D && !isa<TranslationUnitDecl>(D) && Ctx.getSourceManager().isInSystemHeader(D->getLocation())) return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  // The variable being initialized names the traced function (`auto step = tl::function(...)`).
  // A stack instead of Clang's parent map: building that map walks the whole TU.
  bool TraverseVarDecl(VarDecl* D) {
    Vars.push_back(D);
    bool Result = RecursiveASTVisitor::TraverseVarDecl(D);
    Vars.pop_back();
    return Result;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr* E) {
    const auto* Class = E->getConstructor()->getParent();
    for (const auto& EP : P.EntryPoints) {
      if (EP.Kind != "construct" || EP.CallableArg >= E->getNumArgs()) continue;
      const NamedDecl* Named = Class;
      if (auto* Spec = dyn_cast<ClassTemplateSpecializationDecl>(Class)) Named = Spec->getSpecializedTemplate();
      if (qualifiedNameOf(Named) != EP.Name) continue;
      addRoot(E->getArg(EP.CallableArg), E, E->getBeginLoc(), nameOption(E, EP), hasRetraceOptions(E, EP), EP);
    }
    return true;
  }

  // The options aggregate handed to the entry point (`{.name = "train_step", ...}`), semantic form.
  static const InitListExpr* optionsOf(const CXXConstructExpr* E, const EntryPoint& EP) {
    if (EP.OptionsArg < 0 || static_cast<unsigned>(EP.OptionsArg) >= E->getNumArgs()) return nullptr;
    const Expr* O = E->getArg(static_cast<unsigned>(EP.OptionsArg))->IgnoreImplicit();
    for (int Guard = 0; O && Guard < 8; ++Guard) {
      if (auto* M = dyn_cast<MaterializeTemporaryExpr>(O))
        O = M->getSubExpr()->IgnoreImplicit();
      else if (auto* B = dyn_cast<CXXBindTemporaryExpr>(O))
        O = B->getSubExpr()->IgnoreImplicit();
      else if (auto* C = dyn_cast<CXXConstructExpr>(O); C && C->getNumArgs() == 1)
        O = C->getArg(0)->IgnoreImplicit();
      else
        break;
    }
    const auto* IL = dyn_cast_or_null<InitListExpr>(O);
    if (IL && IL->isSyntacticForm() && IL->getSemanticForm()) IL = IL->getSemanticForm();
    return IL;
  }

  // The initializer the code writes for a field (designated `.name = ...` or positional); fields it
  // leaves out are nullptr even though the semantic form value-initializes them.
  static const Expr* optionField(const InitListExpr* IL, const std::string& Field) {
    if (!IL) return nullptr;
    const auto* RD = IL->getType()->getAsRecordDecl();
    if (!RD) return nullptr;
    const InitListExpr* Syn = IL->isSemanticForm() && IL->getSyntacticForm() ? IL->getSyntacticForm() : IL;
    unsigned FieldIndex = 0, Wanted = ~0u;
    for (const auto* F : RD->fields()) {
      if (F->getName() == Field) Wanted = FieldIndex;
      ++FieldIndex;
    }
    if (Wanted == ~0u) return nullptr;
    unsigned Position = 0;
    for (unsigned I = 0; I < Syn->getNumInits(); ++I) {
      const Expr* Init = Syn->getInit(I);
      if (const auto* D = dyn_cast<DesignatedInitExpr>(Init)) {
        const auto* Des = D->getDesignator(0);
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
  static std::string nameOption(const CXXConstructExpr* E, const EntryPoint& EP) {
    if (EP.NameField.empty()) return "";
    const Expr* Init = optionField(optionsOf(E, EP), EP.NameField);
    for (int Guard = 0; Init && Guard < 8; ++Guard) {
      Init = Init->IgnoreImplicit();
      if (auto* S = dyn_cast<StringLiteral>(Init)) return S->getString().str();
      if (auto* C = dyn_cast<CXXConstructExpr>(Init); C && C->getNumArgs() >= 1)
        Init = C->getArg(0);
      else if (auto* B = dyn_cast<CXXBindTemporaryExpr>(Init))
        Init = B->getSubExpr();
      else if (auto* M = dyn_cast<MaterializeTemporaryExpr>(Init))
        Init = M->getSubExpr();
      else
        break;
    }
    return "";
  }

  static bool hasRetraceOptions(const CXXConstructExpr* E, const EntryPoint& EP) {
    const auto* IL = optionsOf(E, EP);
    for (const auto& F : EP.RetraceOptions)
      if (optionField(IL, F)) return true;
    return false;
  }

  bool VisitCallExpr(CallExpr* E) {
    const auto* Callee = E->getDirectCallee();
    if (!Callee) return true;
    for (const auto& EP : P.EntryPoints) {
      if (EP.Kind != "call" || EP.CallableArg >= E->getNumArgs()) continue;
      if (qualifiedNameOf(Callee) != EP.Name) continue;
      // `compile(fun, /*shapeless=*/true)`: a bool argument the code sets to true stops shape retracing.
      bool RetraceOff = false;
      if (EP.RetraceOffArg >= 0 && static_cast<unsigned>(EP.RetraceOffArg) < E->getNumArgs() &&
          !isa<CXXDefaultArgExpr>(E->getArg(static_cast<unsigned>(EP.RetraceOffArg)))) {
        bool Value = false;
        RetraceOff =
            !E->getArg(static_cast<unsigned>(EP.RetraceOffArg))->EvaluateAsBooleanCondition(Value, Ctx) || Value;
      }
      addRoot(E->getArg(EP.CallableArg), E, E->getBeginLoc(), "", RetraceOff, EP);
    }
    return true;
  }

 private:
  void addRoot(const Expr* Arg, const Expr* Entry, SourceLocation Loc, const std::string& GivenName,
               bool RetraceOptions, const EntryPoint& EP) {
    const Expr* E = stripToCallable(Arg);
    TracedRoot R;
    R.Entry = &EP;
    R.Messages = EP.Messages;
    R.EntryLoc = Loc;
    R.EntryEndLoc = Entry->getEndLoc();
    R.HasRetraceOptions = RetraceOptions;
    for (int Guard = 0; E && Guard < 4 && !R.Callable; ++Guard) {
      if (auto* L = dyn_cast<LambdaExpr>(E)) {
        R.Lambda = L;
        R.Callable = L->getCallOperator();
      } else if (auto* DRE = dyn_cast<DeclRefExpr>(E)) {
        if (auto* FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
          R.Callable = withBody(FD);
          if (!R.Callable) return;
          R.Name = FD->getNameAsString();
        } else if (auto* VD = dyn_cast<VarDecl>(DRE->getDecl())) {
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
    for (const auto& Existing : Out)
      if (Existing.Callable == R.Callable && Existing.EntryLoc == R.EntryLoc) return;
    Out.push_back(R);
  }

  ASTContext& Ctx;
  const Pack& P;
  std::vector<TracedRoot>& Out;
  std::vector<const VarDecl*> Vars;
};

// Calls in one function body; nested lambda bodies are separate functions, reached when called.
class CallCollector : public RecursiveASTVisitor<CallCollector> {
 public:
  std::vector<const DeclRefExpr*> VarRefs;
  bool VisitDeclRefExpr(DeclRefExpr* E) {
    if (isa<VarDecl>(E->getDecl())) VarRefs.push_back(E);
    return true;
  }
  std::vector<std::pair<const CallExpr*, const FunctionDecl*>> Calls;
  std::vector<std::pair<const CXXConstructExpr*, const FunctionDecl*>> Constructs;
  // Calls through a variable holding a callable (a parameter of type std::function, F&& or a
  // function pointer, a global function pointer): the callee is whatever the variable holds.
  std::vector<std::pair<const CallExpr*, const VarDecl*>> Indirect;
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  bool VisitCallExpr(CallExpr* E) {
    const Expr* Through = nullptr;
    if (auto* Op = dyn_cast<CXXOperatorCallExpr>(E); Op && Op->getOperator() == OO_Call && Op->getNumArgs() > 0)
      Through = Op->getArg(0);
    else if (!E->getDirectCallee())
      Through = E->getCallee();
    if (Through) {
      Through = Through->IgnoreParenImpCasts();
      if (auto* U = dyn_cast<UnaryOperator>(Through); U && U->getOpcode() == UO_Deref)
        Through = U->getSubExpr()->IgnoreParenImpCasts();
      if (auto* Ref = dyn_cast<DeclRefExpr>(Through))
        if (auto* VD = dyn_cast<VarDecl>(Ref->getDecl())) Indirect.emplace_back(E, VD);
    }
    if (auto* FD = E->getDirectCallee()) Calls.emplace_back(E, FD);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr* E) {
    Constructs.emplace_back(E, E->getConstructor());
    return true;
  }
};

}  // namespace

namespace {
// "ns::f(a, b)" -> "ns::f" and {"a", "b"}.
std::pair<std::string, std::vector<std::string>> splitSignature(const std::string& Entry) {
  auto Open = Entry.find('(');
  std::pair<std::string, std::vector<std::string>> Out{Entry.substr(0, Open), {}};
  if (Open == std::string::npos) return Out;
  std::string List = Entry.substr(Open + 1, Entry.rfind(')') - Open - 1);
  for (std::size_t Begin = 0; Begin <= List.size();) {
    auto End = List.find(',', Begin);
    if (End == std::string::npos) End = List.size();
    auto Name = List.substr(Begin, End - Begin);
    Name.erase(0, Name.find_first_not_of(' '));
    Name.erase(Name.find_last_not_of(' ') + 1);
    if (!Name.empty()) Out.second.push_back(Name);
    Begin = End + 1;
  }
  return Out;
}
}  // namespace

TracedRegionModel::TracedRegionModel(ASTContext& C, const Pack& P) : Ctx(C), ThePack(P) {
  for (const auto& Entry : P.ShapeFunctions) {
    auto [Name, Params] = splitSignature(Entry);
    ShapeParams[Name].insert(Params.begin(), Params.end());
  }
  for (const auto& Entry : P.RangeFunctions) {
    auto [Name, Params] = splitSignature(Entry);
    if (Params.size() == 3) RangeParams[Name] = Params;
  }
  findRoots();
  if (!P.CaptureRegions.empty()) findCaptureRoots();
  // Guarded branches become roots after the regions' reach is known; room is made first so that
  // the pointers propagate() keeps into Roots stay valid.
  Roots.reserve(Roots.size() + GuardedBranches.size());
  propagate(0);
  if (!GuardedBranches.empty()) {
    std::set<const FunctionDecl*> Reached;
    for (const auto& R : Reach) Reached.insert(R.Fn->getCanonicalDecl());
    std::size_t First = Roots.size();
    for (auto& B : GuardedBranches)
      if (!Reached.count(B.Callable->getCanonicalDecl())) Roots.push_back(std::move(B));
    propagate(First);
  }
  for (const auto& R : Reach) ReachableSet.insert(R.Fn->getCanonicalDecl());
  // Reach is complete, so pointers into it are stable from here on.
  for (const auto& [Index, Call, Callee] : PendingOpen) Open.push_back({&Reach[Index], Call, Callee});
  for (const auto& [Index, Call, Callee] : PendingSites)
    Sites[{Callee->getCanonicalDecl(), Reach[Index].Root}].push_back({Call, &Reach[Index]});
  findCalls();
}

void TracedRegionModel::findRoots() {
  RootFinder F(Ctx, ThePack, Roots);
  F.TraverseDecl(Ctx.getTranslationUnitDecl());
}

namespace {
// Does FD take a callable (a function pointer or reference, a closure, a std::function)? Such a
// function runs different code for each call site, so it is followed once per call site.
bool takesCallable(const FunctionDecl* FD) {
  for (const auto* P : FD->parameters()) {
    QualType T = P->getType().getNonReferenceType();
    if (T->isFunctionPointerType() || T->isFunctionType()) return true;
    if (const auto* RD = T->getAsCXXRecordDecl(); RD && RD->hasDefinition() && (RD->isLambda() || callOperatorOf(T)))
      return true;
  }
  return false;
}

// Every call of a function in the translation unit, and the overriders of each virtual method.
class CallIndex : public RecursiveASTVisitor<CallIndex> {
 public:
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBodies() const { return true; }
  std::map<const FunctionDecl*, std::vector<const CallExpr*>> CallsOf;
  std::map<const CXXMethodDecl*, std::vector<const CXXMethodDecl*>> Overriders;
  bool VisitCallExpr(CallExpr* E) {
    if (auto* FD = E->getDirectCallee()) CallsOf[FD->getCanonicalDecl()].push_back(E);
    return true;
  }
  bool VisitCXXMethodDecl(CXXMethodDecl* M) {
    if (!M->isThisDeclarationADefinition()) return true;
    std::vector<const CXXMethodDecl*> Up(M->overridden_methods().begin(), M->overridden_methods().end());
    std::set<const CXXMethodDecl*> Done;
    while (!Up.empty()) {
      const auto* Base = Up.back()->getCanonicalDecl();
      Up.pop_back();
      if (!Done.insert(Base).second) continue;
      Overriders[Base].push_back(M);
      Up.insert(Up.end(), Base->overridden_methods().begin(), Base->overridden_methods().end());
    }
    return true;
  }
};
}  // namespace

// The functions a callable-valued expression may run: a lambda's call operator, a named function,
// the initializer of a variable holding one; a parameter of the function the expression is in is
// resolved by the caller (Bind). Empty when unknown.
std::vector<const FunctionDecl*> TracedRegionModel::callablesOf(
    const Expr* E, const std::function<std::vector<const FunctionDecl*>(const ParmVarDecl*)>& Bind, int Depth) const {
  E = stripToCallable(E);
  if (!E || Depth > 8) return {};
  if (const auto* L = dyn_cast<LambdaExpr>(E)) return {L->getCallOperator()};
  const auto* Ref = dyn_cast<DeclRefExpr>(E);
  if (!Ref) {
    const auto* Op = callOperatorOf(E->getType());
    return Op ? std::vector<const FunctionDecl*>{Op} : std::vector<const FunctionDecl*>{};
  }
  if (const auto* FD = dyn_cast<FunctionDecl>(Ref->getDecl())) return {FD};
  if (const auto* P = dyn_cast<ParmVarDecl>(Ref->getDecl())) return Bind(P);
  if (const auto* VD = dyn_cast<VarDecl>(Ref->getDecl()); VD && VD->getInit())
    return callablesOf(VD->getInit(), Bind, Depth + 1);
  return {};
}

const std::vector<const CallExpr*>& TracedRegionModel::callsOf(const FunctionDecl* FD) const {
  if (!Index) {
    Index = std::make_shared<CallIndexData>();
    CallIndex V;
    V.TraverseDecl(Ctx.getTranslationUnitDecl());
    Index->CallsOf = std::move(V.CallsOf);
    Index->Overriders = std::move(V.Overriders);
  }
  static const std::vector<const CallExpr*> None;
  auto It = Index->CallsOf.find(FD->getCanonicalDecl());
  return It == Index->CallsOf.end() ? None : It->second;
}

const std::vector<const CXXMethodDecl*>& TracedRegionModel::overridersOf(const CXXMethodDecl* M) const {
  callsOf(M);  // builds the index
  static const std::vector<const CXXMethodDecl*> None;
  auto It = Index->Overriders.find(M->getCanonicalDecl());
  return It == Index->Overriders.end() ? None : It->second;
}

bool TracedRegionModel::runsVisibleCode(const FunctionDecl* FD) const {
  if (!FD) return false;
  if (FD->hasBody() && !Ctx.getSourceManager().isInSystemHeader(FD->getLocation())) return true;
  const auto* M = dyn_cast<CXXMethodDecl>(FD);
  return M && M->isVirtual() && !overridersOf(M).empty();
}

void TracedRegionModel::propagate(std::size_t FirstRoot) {
  const auto& SM = Ctx.getSourceManager();
  // A function that takes a callable is followed once per call site (the callable differs).
  std::set<std::tuple<const FunctionDecl*, const TracedRoot*, const Expr*>> Seen;
  for (std::size_t RootIndex = FirstRoot; RootIndex < Roots.size(); ++RootIndex) {
    const TracedRoot& R = Roots[RootIndex];
    std::vector<Reachable> Work{{R.Callable, &R, {}}};
    while (!Work.empty()) {
      Reachable Cur = std::move(Work.back());
      Work.pop_back();
      const Expr* Site = takesCallable(Cur.Fn) && !Cur.Path.empty() ? Cur.Path.back().Call : nullptr;
      if (!Seen.insert({Cur.Fn, Cur.Root, Site}).second) continue;
      Reach.push_back(Cur);
      const FunctionDecl* Def = nullptr;
      if (!Cur.Fn->hasBody(Def) || !Def->getBody()) continue;
      CallCollector C;
      C.TraverseStmt(Def->getBody());
      auto& RootReads = Reads[Cur.Root];
      for (const auto* Ref : C.VarRefs)
        if (inRegion(Cur, Ref)) RootReads.emplace(cast<VarDecl>(Ref->getDecl()), Ref);
      // A lambda's captures are read where the closure is created; they belong to its body too.
      if (const auto* M = dyn_cast<CXXMethodDecl>(Cur.Fn);
          M && M->getParent()->isLambda() && Cur.Root->Lambda && Cur.Root->Callable == Cur.Fn) {
        for (const auto& Cap : Cur.Root->Lambda->captures())
          if (Cap.capturesVariable())
            if (auto* VD = dyn_cast<VarDecl>(Cap.getCapturedVar())) RootReads.emplace(VD, nullptr);
      }
      std::size_t FromIndex = Reach.size() - 1;
      auto Visit = [&](const FunctionDecl* Callee, const Expr* Call) {
        const FunctionDecl* Declared = Callee;
        Callee = withBody(Callee);
        if (!Declared || SM.isInSystemHeader(Declared->getLocation()) || inLibrary(Declared, ThePack) ||
            isDeviceCode(Declared) || !inRegion(Cur, Call))
          return;
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
      for (auto [Call, Callee] : C.Calls) {
        Visit(Callee, Call);
        // A virtual call may run any overrider the translation unit defines.
        const auto* M = dyn_cast<CXXMethodDecl>(Callee);
        const auto* Member = dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParenImpCasts());
        if (M && M->isVirtual() && Member && !Member->hasQualifier())
          for (const auto* Overrider : overridersOf(M)) Visit(Overrider, Call);
      }
      for (auto [Construct, Ctor] : C.Constructs) Visit(Ctor, Construct);
      // Calls through a parameter holding a callable run what each caller passed for it: the
      // argument of the call on this path, or, for the root's own function, of every call of it.
      std::function<std::vector<const FunctionDecl*>(const ParmVarDecl*, std::size_t)> BindAt;
      BindAt = [&](const ParmVarDecl* P, std::size_t Level) -> std::vector<const FunctionDecl*> {
        const auto* Owner = dyn_cast<FunctionDecl>(P->getDeclContext());
        if (!Owner) return {};
        unsigned Index = P->getFunctionScopeIndex();
        auto ArgOf = [&](const Expr* Call) -> const Expr* {
          if (const auto* CE = dyn_cast<CallExpr>(Call)) {
            unsigned Offset = isa<CXXOperatorCallExpr>(CE) && isa<CXXMethodDecl>(Owner) ? 1 : 0;
            return Index + Offset < CE->getNumArgs() ? CE->getArg(Index + Offset) : nullptr;
          }
          if (const auto* Ctor = dyn_cast<CXXConstructExpr>(Call))
            return Index < Ctor->getNumArgs() ? Ctor->getArg(Index) : nullptr;
          return nullptr;
        };
        // A parameter passed on: bound one call further up, or at every call of the root's function.
        auto Up = [&](const ParmVarDecl* Q) { return BindAt(Q, Level > 0 ? Level - 1 : SIZE_MAX); };
        if (Level < Cur.Path.size()) {
          const auto* Arg = ArgOf(Cur.Path[Level].Call);
          return Arg ? callablesOf(Arg, Up) : std::vector<const FunctionDecl*>{};
        }
        std::vector<const FunctionDecl*> All;
        for (const auto* Call : callsOf(Owner))
          if (const auto* Arg = ArgOf(Call))
            for (const auto* F :
                 callablesOf(Arg, [](const ParmVarDecl*) { return std::vector<const FunctionDecl*>{}; }))
              All.push_back(F);
        return All;
      };
      for (auto [Call, Holder] : C.Indirect) {
        std::vector<const FunctionDecl*> Targets;
        if (const auto* P = dyn_cast<ParmVarDecl>(Holder))
          Targets = BindAt(P, Cur.Path.empty() ? 0 : Cur.Path.size() - 1);
        else if (Holder->getInit())
          Targets =
              callablesOf(Holder->getInit(), [](const ParmVarDecl*) { return std::vector<const FunctionDecl*>{}; });
        for (const auto* T : Targets) Visit(T, Call);
      }
    }
  }
}

bool TracedRegionModel::derivesFrom(QualType T, const std::vector<std::string>& Names) const {
  T = T.getNonReferenceType();
  while (T->isPointerType()) T = T->getPointeeType();
  const auto* RD = T->getAsCXXRecordDecl();
  if (!RD) return false;
  if (nameMatches(RD, Names)) return true;
  if (!RD->hasDefinition()) return false;
  bool Derived = false;
  RD->getDefinition()->forallBases([&](const CXXRecordDecl* Base) {
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
  if (const auto* Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl())) {
    auto Name = qualifiedNameOf(Spec->getSpecializedTemplate());
    if ((Name == "std::optional" || Name == "std::unique_ptr" || Name == "std::shared_ptr") &&
        Spec->getTemplateArgs().size() > 0 && Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
      return derivesFrom(Spec->getTemplateArgs()[0].getAsType(), ThePack.StateHandleTypes);
  }
  return false;
}
bool TracedRegionModel::isVariableCreatingType(QualType T) const {
  return derivesFrom(T, ThePack.VariableCreatingTypes);
}
bool TracedRegionModel::isSymbolicTensorType(QualType T) const { return derivesFrom(T, ThePack.SymbolicTensorTypes); }
bool TracedRegionModel::isShapeFunction(const FunctionDecl* FD) const {
  return FD && ShapeParams.count(qualifiedNameOf(FD));
}

bool TracedRegionModel::isShapeParameter(const FunctionDecl* FD, unsigned Index) const {
  auto It = FD ? ShapeParams.find(qualifiedNameOf(FD)) : ShapeParams.end();
  if (It == ShapeParams.end() || Index >= FD->getNumParams()) return false;
  const auto* P = FD->getParamDecl(Index);
  if (!It->second.empty()) return It->second.count(P->getNameAsString()) != 0;
  QualType T = P->getType().getNonReferenceType();
  if (isSymbolicTensorType(T)) return false;
  // Shapes come in containers (a value, a seed or a dtype does not change the shape), except for
  // functions whose scalar arguments make the shape (arange).
  return !(T->isArithmeticType() || T->isEnumeralType()) || nameMatches(FD, ThePack.ShapeFromScalarArgs);
}

std::optional<std::array<unsigned, 3>> TracedRegionModel::rangeParameters(const FunctionDecl* FD) const {
  auto It = FD ? RangeParams.find(qualifiedNameOf(FD)) : RangeParams.end();
  if (It == RangeParams.end()) return std::nullopt;
  std::array<unsigned, 3> Out{};
  for (unsigned K = 0; K < 3; ++K) {
    unsigned I = 0;
    while (I < FD->getNumParams() && FD->getParamDecl(I)->getName() != It->second[K]) ++I;
    if (I == FD->getNumParams()) return std::nullopt;
    Out[K] = I;
  }
  return Out;
}

const std::vector<CallSite>& TracedRegionModel::callSitesOf(const FunctionDecl* Fn, const TracedRoot* Root) const {
  static const std::vector<CallSite> None;
  auto It = Sites.find({Fn->getCanonicalDecl(), Root});
  return It == Sites.end() ? None : It->second;
}

bool TracedRegionModel::isTraceReachable(const FunctionDecl* FD) const {
  return FD && ReachableSet.count(FD->getCanonicalDecl()) != 0;
}

const std::map<const VarDecl*, const DeclRefExpr*>& TracedRegionModel::readsOf(const TracedRoot* R) const {
  static const std::map<const VarDecl*, const DeclRefExpr*> Empty;
  auto It = Reads.find(R);
  return It == Reads.end() ? Empty : It->second;
}

namespace {
// Calls of traced function objects in host code, with the innermost loop around each.
class HostCallFinder : public RecursiveASTVisitor<HostCallFinder> {
 public:
  HostCallFinder(ASTContext& Ctx, const std::vector<TracedRoot>& Roots, const TracedRegionModel& M,
                 std::vector<TracedCall>& Out)
      : Ctx(Ctx), Roots(Roots), M(M), Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseDecl(Decl* D) {
    if (D && !isa<TranslationUnitDecl>(D) && Ctx.getSourceManager().isInSystemHeader(D->getLocation())) return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool TraverseFunctionDecl(FunctionDecl* FD) {
    return withFunction(FD, [&] { return RecursiveASTVisitor::TraverseFunctionDecl(FD); });
  }
  bool TraverseCXXMethodDecl(CXXMethodDecl* FD) {
    return withFunction(FD, [&] { return RecursiveASTVisitor::TraverseCXXMethodDecl(FD); });
  }
  bool TraverseLambdaExpr(LambdaExpr* L) {
    return withFunction(L->getCallOperator(), [&] { return RecursiveASTVisitor::TraverseLambdaExpr(L); });
  }
  bool TraverseForStmt(ForStmt* S) {
    return withLoop(S, [&] { return RecursiveASTVisitor::TraverseForStmt(S); });
  }
  bool TraverseWhileStmt(WhileStmt* S) {
    return withLoop(S, [&] { return RecursiveASTVisitor::TraverseWhileStmt(S); });
  }
  bool TraverseDoStmt(DoStmt* S) {
    return withLoop(S, [&] { return RecursiveASTVisitor::TraverseDoStmt(S); });
  }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt* S) {
    return withLoop(S, [&] { return RecursiveASTVisitor::TraverseCXXForRangeStmt(S); });
  }
  // A replay of a captured graph plays the role of a call: of every capture of that kind, or, for
  // a handle that is an object (graph.replay()), of the captures on that object.
  bool VisitCallExpr(CallExpr* E) {
    const auto* Callee = E->getDirectCallee();
    if (!Callee || Functions.empty() || isa<CXXOperatorCallExpr>(E)) return true;
    const auto* Caller = Functions.back();
    const Stmt* Loop = Loops.empty() ? nullptr : Loops.back().second;
    std::string Name;
    for (const auto& R : Roots) {
      if (!R.isCapture() || !nameMatches(Callee, R.Capture->Replay)) continue;
      if (R.Capture->HandleArg < 0 && R.BeginCall) {
        const auto* Member = dyn_cast<CXXMemberCallExpr>(E);
        const auto* Begin = dyn_cast<CXXMemberCallExpr>(R.BeginCall);
        if (Member && Begin &&
            spelling(Member->getImplicitObjectArgument(), Ctx) != spelling(Begin->getImplicitObjectArgument(), Ctx))
          continue;
      }
      Out.push_back({TracedCall::CallKind::Replay, E, &R, Caller, Loop});
    }
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr* E) {
    if (E->getOperator() != OO_Call || E->getNumArgs() == 0 || Functions.empty()) return true;
    const auto* Caller = Functions.back();
    if (M.isTraceReachable(Caller)) return true;  // a call inside traced code is inlined, not a host call
    const Stmt* Loop = Loops.empty() ? nullptr : Loops.back().second;
    const auto* Ref = dyn_cast<DeclRefExpr>(E->getArg(0)->IgnoreImplicit());
    if (Ref) {
      for (const auto& R : Roots)
        if (R.Holder && R.Holder == Ref->getDecl()) {
          Out.push_back({TracedCall::CallKind::Call, E, &R, Caller, Loop});
          return true;
        }
    }
    // A function object reached through a reference (a parameter, a template): its type says which
    // callable it traces, when that callable is a lambda of its own type.
    const auto* Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(E->getArg(0)->getType()->getAsCXXRecordDecl());
    if (!Spec || Spec->getTemplateArgs().size() == 0 || Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
      return true;
    const auto* Closure = Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
    if (!Closure) return true;
    for (const auto& R : Roots)
      if (R.Lambda && R.Lambda->getLambdaClass() == Closure) {
        Out.push_back({TracedCall::CallKind::Call, E, &R, Caller, Loop});
        break;
      }
    return true;
  }

 private:
  template <class F>
  bool withFunction(const FunctionDecl* FD, F Body) {
    Functions.push_back(FD);
    auto Saved = std::move(Loops);
    Loops.clear();
    bool R = Body();
    Loops = std::move(Saved);
    Functions.pop_back();
    return R;
  }
  template <class F>
  bool withLoop(const Stmt* S, F Body) {
    Loops.emplace_back(Functions.empty() ? nullptr : Functions.back(), S);
    bool R = Body();
    Loops.pop_back();
    return R;
  }
  ASTContext& Ctx;
  const std::vector<TracedRoot>& Roots;
  const TracedRegionModel& M;
  std::vector<TracedCall>& Out;
  std::vector<const FunctionDecl*> Functions;
  std::vector<std::pair<const FunctionDecl*, const Stmt*>> Loops;
};
}  // namespace

void TracedRegionModel::findCalls() {
  if (Roots.empty()) return;
  HostCallFinder F(Ctx, Roots, *this, Calls);
  F.TraverseDecl(Ctx.getTranslationUnitDecl());
}

namespace {

struct CaptureCall {
  const CallExpr* Call;
  const FunctionDecl* In;
  const CaptureRegion* Kind;
  std::string Handle;  // "" for a call of a wrapper: matches any handle
  std::string Shown;   // how messages name the capture
};

struct FlagWrite {
  const ValueDecl* Flag;
  const FunctionDecl* In;
  SourceLocation Loc;
  bool Value;
};

// Begin and end calls, bool flags set to a constant, and `if` statements, per function.
class CaptureScanner : public RecursiveASTVisitor<CaptureScanner> {
 public:
  CaptureScanner(ASTContext& Ctx, const Pack& P) : Ctx(Ctx), P(P) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBodies() const { return false; }
  bool TraverseDecl(Decl* D) {
    if (D && !isa<TranslationUnitDecl>(D) && Ctx.getSourceManager().isInSystemHeader(D->getLocation())) return true;
    if (auto* ND = dyn_cast_or_null<NamedDecl>(D); ND && inLibrary(ND, P)) return true;
    auto* FD = dyn_cast_or_null<FunctionDecl>(D);
    if (FD && (isDeviceCode(FD) || !FD->doesThisDeclarationHaveABody())) FD = nullptr;
    if (FD) Functions.push_back(FD);
    bool R = RecursiveASTVisitor::TraverseDecl(D);
    if (FD) Functions.pop_back();
    return R;
  }
  bool TraverseLambdaExpr(LambdaExpr* L) {
    Functions.push_back(L->getCallOperator());
    bool R = TraverseStmt(L->getBody());
    Functions.pop_back();
    return R;
  }
  bool VisitCallExpr(CallExpr* E) {
    const auto* Callee = E->getDirectCallee();
    if (!Callee || Functions.empty()) return true;
    auto Name = qualifiedNameOf(Callee);
    // A wrapper defined in another file (known from its summary) begins or ends a capture of any handle.
    if (!Callee->hasBody()) {
      std::string Usr;
      for (const auto& Kind : P.CaptureRegions) {
        if (Kind.BeginWrapperUsrs.empty() && Kind.EndWrapperUsrs.empty()) continue;
        if (Usr.empty()) Usr = usrOf(Callee);
        if (Kind.BeginWrapperUsrs.count(Usr)) Begins.push_back({E, Functions.back(), &Kind, "", Name});
        if (Kind.EndWrapperUsrs.count(Usr)) Ends.push_back({E, Functions.back(), &Kind, "", Name});
      }
    }
    for (const auto& Kind : P.CaptureRegions) {
      bool Begin = Name == Kind.Begin, End = Name == Kind.End;
      if (!Begin && !End) continue;
      std::string Text = captureHandleOf(E, Kind, Ctx);
      (Begin ? Begins : Ends).push_back({E, Functions.back(), &Kind, Text, Text.empty() ? Name : Text});
    }
    Calls.emplace_back(E, Functions.back());
    if (const auto* Ref = dyn_cast<DeclRefExpr>(E->getCallee()->IgnoreParenImpCasts())) CalleeRefs.insert(Ref);
    return true;
  }
  // Functions named other than as the callee of a call: handed over as callables.
  bool VisitDeclRefExpr(DeclRefExpr* E) {
    if (const auto* FD = dyn_cast<FunctionDecl>(E->getDecl()); FD && !Functions.empty())
      FunctionRefs.push_back({E, FD, Functions.back()});
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator* B) {
    if (B->getOpcode() != BO_Assign || Functions.empty()) return true;
    if (const auto* Value = dyn_cast<CXXBoolLiteralExpr>(B->getRHS()->IgnoreParenImpCasts()))
      if (const auto* Flag = baseFlag(B->getLHS()))
        Flags.push_back({Flag, Functions.back(), B->getBeginLoc(), Value->getValue()});
    return true;
  }
  bool VisitIfStmt(IfStmt* S) {
    if (!Functions.empty() && S->getCond()) Ifs.emplace_back(S, Functions.back());
    return true;
  }

  static const ValueDecl* baseFlag(const Expr* E) {
    E = E->IgnoreParenImpCasts();
    if (auto* D = dyn_cast<DeclRefExpr>(E)) return D->getType()->isBooleanType() ? D->getDecl() : nullptr;
    if (auto* M = dyn_cast<MemberExpr>(E)) return M->getType()->isBooleanType() ? M->getMemberDecl() : nullptr;
    return nullptr;
  }

  std::vector<CaptureCall> Begins, Ends;
  std::vector<std::pair<const CallExpr*, const FunctionDecl*>> Calls;
  struct FunctionRef {
    const DeclRefExpr* Ref;
    const FunctionDecl* Named;
    const FunctionDecl* In;
  };
  std::vector<FunctionRef> FunctionRefs;  // callees excluded after the walk (CalleeRefs)
  std::set<const DeclRefExpr*> CalleeRefs;
  std::vector<FlagWrite> Flags;
  std::vector<std::pair<const IfStmt*, const FunctionDecl*>> Ifs;

 private:
  ASTContext& Ctx;
  const Pack& P;
  std::vector<const FunctionDecl*> Functions;
};

// Does a condition hold while capturing (+1), while not capturing (-1), or say nothing about it (0)?
// A capture status compared with the pack's enumerators, or a flag set where capture begins. Kind
// is set to the region kind the test is about: its pack's messages describe what the branch does.
using CaptureFlags = std::map<const ValueDecl*, const CaptureRegion*>;
int captureSense(const Expr* Cond, const Pack& P, const CaptureFlags& Flags, const CaptureRegion*& Kind) {
  Cond = Cond->IgnoreParenImpCasts();
  if (auto* U = dyn_cast<UnaryOperator>(Cond); U && U->getOpcode() == UO_LNot)
    return -captureSense(U->getSubExpr(), P, Flags, Kind);
  if (auto* B = dyn_cast<BinaryOperator>(Cond)) {
    if (B->getOpcode() == BO_LAnd) {
      // `a && b` holds only when both do: either side that implies capturing makes the whole imply it.
      const CaptureRegion *LeftKind = nullptr, *RightKind = nullptr;
      int L = captureSense(B->getLHS(), P, Flags, LeftKind), R = captureSense(B->getRHS(), P, Flags, RightKind);
      Kind = L > 0 ? LeftKind : RightKind;
      return L > 0 || R > 0 ? 1 : 0;
    }
    if (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE) {
      int Sense = 0;
      for (const Expr* Side : {B->getLHS(), B->getRHS()})
        if (auto* D = dyn_cast<DeclRefExpr>(Side->IgnoreParenImpCasts()); D && isa<EnumConstantDecl>(D->getDecl()))
          for (const auto& Region : P.CaptureRegions) {
            if (nameMatches(D->getDecl(), Region.CapturingValues)) Sense = 1, Kind = &Region;
            if (nameMatches(D->getDecl(), Region.NotCapturingValues)) Sense = -1, Kind = &Region;
          }
      return B->getOpcode() == BO_EQ ? Sense : -Sense;
    }
    return 0;
  }
  if (const auto* Flag = CaptureScanner::baseFlag(Cond); Flag && Flags.count(Flag)) {
    Kind = Flags.at(Flag);
    return 1;
  }
  return 0;
}

SourceLocation fileLoc(const SourceManager& SM, SourceLocation L) { return SM.getExpansionLoc(L); }
// The last file location L occupies: a statement that ends inside a macro ends where the macro's
// invocation does.
SourceLocation fileEnd(const SourceManager& SM, SourceLocation L) { return SM.getExpansionRange(L).getEnd(); }

bool before(const SourceManager& SM, SourceLocation A, SourceLocation B) { return SM.isBeforeInTranslationUnit(A, B); }

}  // namespace

void TracedRegionModel::findCaptureRoots() {
  const auto& SM = Ctx.getSourceManager();
  CaptureScanner Scan(Ctx, ThePack);
  Scan.TraverseDecl(Ctx.getTranslationUnitDecl());

  // Wrappers: a function that begins a capture it does not end begins it for its callers (and one
  // that ends a capture it did not begin ends it for them). Their calls count as begin and end
  // calls of any handle; a few rounds cover wrappers of wrappers.
  auto Unmatched = [&](const CaptureCall& C, bool IsBegin) {
    for (const auto& O : IsBegin ? Scan.Ends : Scan.Begins) {
      if (O.In != C.In || O.Kind != C.Kind || (!O.Handle.empty() && !C.Handle.empty() && O.Handle != C.Handle))
        continue;
      if (IsBegin ? before(SM, C.Call->getBeginLoc(), O.Call->getBeginLoc())
                  : before(SM, O.Call->getBeginLoc(), C.Call->getBeginLoc()))
        return false;
    }
    return true;
  };
  for (int Round = 0; Round < 3; ++Round) {
    std::map<const FunctionDecl*, const CaptureRegion*> BeginWrappers, EndWrappers;
    for (const auto& B : Scan.Begins)
      if (Unmatched(B, true)) BeginWrappers.emplace(B.In->getCanonicalDecl(), B.Kind);
    for (const auto& E : Scan.Ends)
      if (Unmatched(E, false)) EndWrappers.emplace(E.In->getCanonicalDecl(), E.Kind);
    bool Added = false;
    for (const auto& [Call, In] : Scan.Calls) {
      const auto* Callee = Call->getDirectCallee()->getCanonicalDecl();
      auto Known = [&](const std::vector<CaptureCall>& List) {
        for (const auto& C : List)
          if (C.Call == Call) return true;
        return false;
      };
      if (auto It = BeginWrappers.find(Callee);
          It != BeginWrappers.end() && Callee != In->getCanonicalDecl() && !Known(Scan.Begins)) {
        Scan.Begins.push_back({Call, In, It->second, "", qualifiedNameOf(Callee)});
        Added = true;
      }
      if (auto It = EndWrappers.find(Callee);
          It != EndWrappers.end() && Callee != In->getCanonicalDecl() && !Known(Scan.Ends)) {
        Scan.Ends.push_back({Call, In, It->second, "", qualifiedNameOf(Callee)});
        Added = true;
      }
    }
    if (!Added) break;
  }
  std::set<std::pair<const FunctionDecl*, bool>> Listed;
  for (const auto& B : Scan.Begins)
    if (Unmatched(B, true) && Listed.insert({B.In->getCanonicalDecl(), true}).second)
      Wrappers.push_back({B.In, true, B.Kind});
  for (const auto& E : Scan.Ends)
    if (Unmatched(E, false) && Listed.insert({E.In->getCanonicalDecl(), false}).second)
      Wrappers.push_back({E.In, false, E.Kind});
  for (const auto& E : Scan.Ends)
    if (Unmatched(E, false)) {
      auto Loc = fileLoc(SM, E.Call->getBeginLoc());
      auto [It, Fresh] = EndsCapture.emplace(E.In->getCanonicalDecl(), Loc);
      if (!Fresh && before(SM, Loc, It->second)) It->second = Loc;
    }

  // Flags: bools set true where capture begins (before its end there, if any) and false where it ends.
  CaptureFlags SetTrue;
  std::set<const ValueDecl*> SetFalse;
  for (const auto& F : Scan.Flags) {
    for (const auto& B : Scan.Begins) {
      if (B.In != F.In || !F.Value) continue;
      bool BeforeEnd = true;
      for (const auto& E : Scan.Ends)
        if (E.In == F.In && before(SM, E.Call->getBeginLoc(), F.Loc)) BeforeEnd = false;
      if (BeforeEnd) SetTrue.emplace(F.Flag, B.Kind);
    }
    for (const auto& E : Scan.Ends)
      if (E.In == F.In && !F.Value) SetFalse.insert(F.Flag);
  }
  CaptureFlags Flags;
  for (const auto& [F, Kind] : SetTrue)
    if (SetFalse.count(F)) Flags.emplace(F, Kind);

  std::set<std::pair<const FunctionDecl*, const CaptureRegion*>> EndFunctions;  // this file's end wrappers
  for (const auto& W : Wrappers)
    if (!W.Begins) EndFunctions.insert({W.Fn->getCanonicalDecl(), W.Kind});
  // Regions: each begin call up to the first end call after it on the same handle in the same
  // function, or to the function's end (a wrapper that begins and returns).
  for (const auto& B : Scan.Begins) {
    const CaptureCall* End = nullptr;
    for (const auto& E : Scan.Ends)
      if (E.In == B.In && E.Kind == B.Kind && (E.Handle.empty() || B.Handle.empty() || E.Handle == B.Handle) &&
          before(SM, B.Call->getBeginLoc(), E.Call->getBeginLoc()) &&
          (!End || before(SM, E.Call->getBeginLoc(), End->Call->getBeginLoc())))
        End = &E;
    // A function that ends captures, handed over as a callable after the begin (`std::thread
    // t(end_capture, s, &g)`, a callback), ends this one where it is named, if before the end call.
    const Expr* EndAt = End ? End->Call : nullptr;
    for (const auto& F : Scan.FunctionRefs)
      if (F.In == B.In && !Scan.CalleeRefs.count(F.Ref) && EndFunctions.count({F.Named->getCanonicalDecl(), B.Kind}) &&
          before(SM, B.Call->getBeginLoc(), F.Ref->getBeginLoc()) &&
          (!EndAt || before(SM, F.Ref->getBeginLoc(), EndAt->getBeginLoc())))
        EndAt = F.Ref;
    TracedRoot R;
    R.Callable = B.In;
    R.Capture = B.Kind;
    R.Messages = B.Kind->Messages;
    R.Name = B.Shown;
    R.BeginCall = B.Call;
    R.EndCall = EndAt;
    R.EntryLoc = B.Call->getBeginLoc();
    R.EntryEndLoc = EndAt ? EndAt->getEndLoc() : B.Call->getEndLoc();
    const Stmt* Body = B.In->getBody();
    R.Region = SourceRange(SM.getExpansionRange(B.Call->getEndLoc()).getEnd(),
                           EndAt ? fileLoc(SM, EndAt->getBeginLoc()) : fileEnd(SM, Body->getEndLoc()));
    R.RegionEndIncluded = !EndAt;
    Roots.push_back(std::move(R));
  }

  // Branches guarded by "is capturing" tests: capture-time code wherever they are.
  for (const auto& [If, In] : Scan.Ifs) {
    const CaptureRegion* Kind = nullptr;
    int Sense = captureSense(If->getCond(), ThePack, Flags, Kind);
    const Stmt* Branch = Sense > 0 ? If->getThen() : Sense < 0 ? If->getElse() : nullptr;
    if (Sense < 0)
      NotCapturing[In->getCanonicalDecl()].push_back(
          SourceRange(fileLoc(SM, If->getThen()->getBeginLoc()), fileEnd(SM, If->getThen()->getEndLoc())));
    if (Sense > 0 && If->getElse())
      NotCapturing[In->getCanonicalDecl()].push_back(
          SourceRange(fileLoc(SM, If->getElse()->getBeginLoc()), fileEnd(SM, If->getElse()->getEndLoc())));
    if (!Branch || !Kind) continue;
    TracedRoot R;
    R.Callable = In;
    R.Capture = Kind;
    R.Messages = R.Capture->Messages;
    auto PL = SM.getPresumedLoc(fileLoc(SM, If->getBeginLoc()));
    R.Name = "the capture tested at line " + std::to_string(PL.isValid() ? PL.getLine() : 0);
    R.BeginCall = nullptr;
    R.EntryLoc = If->getBeginLoc();
    R.EntryEndLoc = If->getCond()->getEndLoc();
    R.Region = SourceRange(fileLoc(SM, Branch->getBeginLoc()), fileEnd(SM, Branch->getEndLoc()));
    R.RegionEndIncluded = true;
    GuardedBranches.push_back(std::move(R));
  }
}

const std::vector<SourceRange>& TracedRegionModel::notCapturingIn(const FunctionDecl* FD) const {
  static const std::vector<SourceRange> None;
  auto It = NotCapturing.find(FD->getCanonicalDecl());
  return It == NotCapturing.end() ? None : It->second;
}

bool TracedRegionModel::inRegion(const Reachable& R, const Stmt* S) const {
  if (!R.Root->isCapture() || !S) return true;
  const auto& SM = Ctx.getSourceManager();
  SourceLocation L = fileLoc(SM, S->getBeginLoc());
  if (R.Fn->getCanonicalDecl() == R.Root->Callable->getCanonicalDecl() && R.Root->Region.isValid()) {
    const auto& Region = R.Root->Region;
    if (before(SM, L, Region.getBegin())) return false;
    if (R.Root->RegionEndIncluded ? before(SM, Region.getEnd(), L) : !before(SM, L, Region.getEnd())) return false;
  } else if (auto It = EndsCapture.find(R.Fn->getCanonicalDecl());
             It != EndsCapture.end() && !before(SM, L, It->second)) {
    return false;  // a helper that ends the capture: what follows its end call is not recorded
  }
  for (const auto& Range : notCapturingIn(R.Fn))
    if (!before(SM, L, Range.getBegin()) && !before(SM, Range.getEnd(), L)) return false;
  return true;
}

namespace {
// Is the qualified Name ("ns::Class", "cudaStreamBeginCapture") declared in this translation unit?
bool declares(ASTContext& Ctx, const std::string& Name) {
  const DeclContext* DC = Ctx.getTranslationUnitDecl();
  for (std::size_t Begin = 0;;) {
    auto End = Name.find("::", Begin);
    auto Part = Name.substr(Begin, End == std::string::npos ? std::string::npos : End - Begin);
    auto Found = DC->lookup(DeclarationName(&Ctx.Idents.get(Part)));
    if (Found.empty()) return false;
    if (End == std::string::npos) return true;
    DC = dyn_cast<DeclContext>(Found.front());
    if (!DC) return false;
    Begin = End + 2;
  }
}
}  // namespace

Pack packsUsedIn(ASTContext& Ctx, const Pack& Configured) {
  if (Configured.Parts.empty()) return Configured;
  Pack Out;
  for (const auto& Part : Configured.Parts) {
    bool Used = Part.Detect.empty();
    for (const auto& Name : Part.Detect) Used = Used || declares(Ctx, Name);
    if (Used) Out.add(Part);
  }
  return Out;
}

bool TracedRegionModel::isGraphEffect(const FunctionDecl* FD) const { return nameMatches(FD, ThePack.GraphEffects); }

}  // namespace tracelint
