#include "checks/HostEffects.h"

#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace tracelint {

using namespace clang;

namespace {
class HostCalls : public RecursiveASTVisitor<HostCalls> {
 public:
  explicit HostCalls(const std::vector<std::string> &Names) : Names(Names) {}
  std::vector<std::pair<const CallExpr *, std::string>> Found;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *E) {
    const auto *FD = E->getDirectCallee();
    if (!FD) return true;
    // Methods of class templates are named by the template: std::basic_ostream::operator<<.
    std::string Name = qualifiedNameOf(FD), Bare = Name;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
      const NamedDecl *Owner = MD->getParent();
      if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(MD->getParent())) Owner = Spec->getSpecializedTemplate();
      Bare = qualifiedNameOf(Owner) + "::" + MD->getNameAsString();
    }
    for (const auto &N : Names)
      if (Bare == N || Name == N) Found.emplace_back(E, N);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    auto Name = qualifiedNameOf(E->getConstructor()->getParent());
    for (const auto &N : Names)
      if (N == Name + "::" + E->getConstructor()->getParent()->getNameAsString()) Constructions.push_back(E);
    return true;
  }
  std::vector<const CXXConstructExpr *> Constructions;

 private:
  const std::vector<std::string> &Names;
};
}  // namespace

void reportHostCalls(const CheckContext &C, const std::vector<std::string> &Names, const char *Check, const std::string &What,
                     const std::string &Fix) {
  // One finding per line: `std::cout << a << b` is several operator calls but one statement.
  std::set<std::pair<std::string, unsigned>> Seen;
  const auto &SM = C.Ctx.getSourceManager();
  for (const auto &R : C.Model.reachable()) {
    const FunctionDecl *Def = nullptr;
    if (!R.Fn->hasBody(Def) || !Def->getBody()) continue;
    HostCalls V(Names);
    V.TraverseStmt(Def->getBody());
    auto Report = [&](const Expr *E, const std::string &Callee) {
      if (SM.isInSystemHeader(SM.getFileLoc(E->getExprLoc()))) return;
      auto P = C.point(E->getBeginLoc());
      if (!Seen.insert({P.File, P.Line}).second) return;
      auto F = tracedFinding(C, Check, E->getBeginLoc(), *R.Root, Callee,
                             "'" + Callee + "' " + What + " while tracing '" + R.Root->Name + "', not on every call; " + Fix);
      addTracePathNotes(C, R, F);
      C.Report(std::move(F));
    };
    for (const auto &[E, Name] : V.Found) Report(E, Name);
    for (const auto *E : V.Constructions) Report(E, qualifiedNameOf(E->getConstructor()->getParent()));
  }
}

}  // namespace tracelint
