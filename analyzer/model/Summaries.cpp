#include "model/Summaries.h"

#include <set>

#include "checks/Check.h"
#include "checks/CheckUtil.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "model/TracedRegions.h"

namespace tracelint {

using namespace clang;

namespace {

std::string usrOf(const Decl* D) {
  llvm::SmallString<128> Buf;
  if (index::generateUSRForDecl(D, Buf)) return "";
  return std::string(Buf);
}

class SummaryBuilder : public RecursiveASTVisitor<SummaryBuilder> {
 public:
  SummaryBuilder(ASTContext& Ctx, const TracedRegionModel& M, FileSummaries& Out) : Ctx(Ctx), M(M), Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseDecl(Decl* D) {
    if (D && !isa<TranslationUnitDecl>(D) && !Ctx.getSourceManager().isInMainFile(D->getLocation())) return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitFunctionDecl(FunctionDecl* FD) {
    if (!FD->doesThisDeclarationHaveABody() || !FD->getBody()) return true;
    if (!WithFunctions) {
      externalCallees(FD);
      return true;
    }
    auto Usr = usrOf(FD);
    if (Usr.empty()) return true;
    FunctionSummary& S = Out.Functions[Usr];
    S.Name = qualifiedNameOf(FD);
    CheckContext C{Ctx, M, nullptr};
    forEachWrite(FD->getBody(), [&](const Expr* Target, const Expr*) {
      SourceLocation Loc = Target->getBeginLoc();
      const VarDecl* V = baseVariable(Target);
      if (!V || !V->hasGlobalStorage() || M.isStateHandleType(V->getType())) return;
      std::string Kind = V->isStaticLocal() ? "static local" : V->isStaticDataMember() ? "static member" : "global";
      std::string Entity =
          V->isStaticLocal() ? qualifiedNameOf(dyn_cast<NamedDecl>(V->getDeclContext())) + "()::" + V->getNameAsString()
                             : qualifiedNameOf(V);
      S.Writes.push_back(
          {C.point(Loc), Entity, Kind + " '" + (V->isStaticLocal() ? V->getNameAsString() : Entity) + "'", "written"});
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
    if (CaptureWanted) externalCallees(FD);
    return true;
  }
  bool WithFunctions = true, CaptureWanted = false;
  std::set<std::string> External;

 private:
  // Calls of user functions without a body here: candidates for another file's capture wrappers.
  void externalCallees(const FunctionDecl* FD) {
    struct Calls : RecursiveASTVisitor<Calls> {
      std::vector<const FunctionDecl*> Found;
      bool VisitCallExpr(CallExpr* E) {
        if (auto* F = E->getDirectCallee(); F && !F->hasBody()) Found.push_back(F);
        return true;
      }
    } Cs;
    Cs.TraverseStmt(FD->getBody());
    for (const auto* Callee : Cs.Found)
      if (!Ctx.getSourceManager().isInSystemHeader(Callee->getLocation()))
        if (auto U = usrOf(Callee); !U.empty()) External.insert(U);
  }

  ASTContext& Ctx;
  const TracedRegionModel& M;
  FileSummaries& Out;
};

}  // namespace

void summarizeFile(ASTContext& Ctx, const TracedRegionModel& Model, FileSummaries& Out, bool WithFunctions) {
  SummaryBuilder B(Ctx, Model, Out);
  B.WithFunctions = WithFunctions;
  B.CaptureWanted = !Model.pack().CaptureRegions.empty();
  if (WithFunctions || B.CaptureWanted) B.TraverseDecl(Ctx.getTranslationUnitDecl());
  Out.ExternalCallees.assign(B.External.begin(), B.External.end());
  for (const auto& W : Model.captureWrappers())
    if (Ctx.getSourceManager().isInMainFile(W.Fn->getLocation()))
      if (auto Usr = usrOf(W.Fn); !Usr.empty()) (W.Begins ? Out.CaptureBegins : Out.CaptureEnds)[Usr] = W.Kind->Begin;
  if (!WithFunctions) return;
  CheckContext C{Ctx, Model, nullptr};
  for (const auto& Open : Model.openCalls()) {
    const TracedRoot& Root = *Open.From->Root;
    auto Template = Root.Messages ? Root.Messages->find("trace-host-mutation") : MessageTemplates::const_iterator();
    if (!Root.Messages || Template == Root.Messages->end()) continue;  // the rule does not apply to this API
    OpenCall O;
    // {subject} stays for the resolver, which knows what is written.
    O.Message = fillMessage(Template->second, "{subject}", Root.Name);
    O.CalleeUsr = usrOf(Open.Callee);
    if (O.CalleeUsr.empty()) continue;
    O.CalleeName = qualifiedNameOf(Open.Callee);
    O.TracedFunction = Open.From->Root->Name;
    O.TracedFunctionLocation = tracedFunctionSite(C, *Open.From->Root);
    O.Notes = callPathNotes(C, *Open.From);
    std::string Caller = Open.From->Fn == Open.From->Root->Callable ? O.TracedFunction : qualifiedNameOf(Open.From->Fn);
    O.Notes.push_back({C.point(Open.Call->getExprLoc()), "'" + O.CalleeName +
                                                             "' (defined in another file) is called from '" + Caller +
                                                             "', which runs while tracing '" + O.TracedFunction + "'"});
    O.Notes.push_back(rootNote(C, Root));
    Out.OpenCalls.push_back(std::move(O));
  }
}

std::vector<Finding> resolveOpenCalls(const std::vector<OpenCall>& Open,
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
        F.CheckId = "trace-host-mutation";
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
