#include "model/Summaries.h"

#include <set>

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "model/TracedRegions.h"

namespace tracelint {

using namespace clang;

std::string usrOf(const Decl* D) {
  llvm::SmallString<128> Buf;
  if (index::generateUSRForDecl(D, Buf)) return "";
  return std::string(Buf);
}

namespace {

// Calls of user functions without a body here: candidates for another file's capture wrappers.
class ExternalCallees : public RecursiveASTVisitor<ExternalCallees> {
 public:
  explicit ExternalCallees(ASTContext& Ctx) : Ctx(Ctx) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseDecl(Decl* D) {
    if (D && !isa<TranslationUnitDecl>(D) && !Ctx.getSourceManager().isInMainFile(D->getLocation())) return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitCallExpr(CallExpr* E) {
    if (auto* F = E->getDirectCallee();
        F && !F->hasBody() && !Ctx.getSourceManager().isInSystemHeader(F->getLocation()))
      if (auto U = usrOf(F); !U.empty()) Found.insert(U);
    return true;
  }
  std::set<std::string> Found;

 private:
  ASTContext& Ctx;
};

}  // namespace

void summarizeCaptureUse(ASTContext& Ctx, const TracedRegionModel& Model, FileSummaries& Out) {
  ExternalCallees Calls(Ctx);
  Calls.TraverseDecl(Ctx.getTranslationUnitDecl());
  Out.ExternalCallees.assign(Calls.Found.begin(), Calls.Found.end());
  for (const auto& W : Model.captureWrappers())
    if (Ctx.getSourceManager().isInMainFile(W.Fn->getLocation()))
      if (auto Usr = usrOf(W.Fn); !Usr.empty()) (W.Begins ? Out.CaptureBegins : Out.CaptureEnds)[Usr] = W.Kind->Begin;
}

}  // namespace tracelint
