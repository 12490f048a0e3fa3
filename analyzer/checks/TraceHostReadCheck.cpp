// Host reads of symbolic tensors in trace-reachable code: item(), to_vector(), a bool conversion
// (a host branch on a tensor). A tensor is symbolic when it is computed inside the trace: a
// parameter or a local of trace-reachable code; a tensor captured from outside is concrete and
// may be read.
#include "checks/TraceHostReadCheck.h"

#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceHostReadCheck> Registration("trace-host-read");

class Reads : public RecursiveASTVisitor<Reads> {
 public:
  Reads(const TracedRegionModel &M, const FunctionDecl *Fn) : M(M), Fn(Fn) {}
  std::vector<std::pair<const CXXMemberCallExpr *, std::string>> Found;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *E) {
    const auto *MD = E->getMethodDecl();
    const Expr *Obj = E->getImplicitObjectArgument();
    if (!MD || !Obj || !M.isSymbolicTensorType(Obj->getType())) return true;
    std::string Name = isa<CXXConversionDecl>(MD) ? "operator bool" : MD->getNameAsString();
    bool IsRead = false;
    for (const auto &R : M.pack().HostReadMethods) IsRead |= R == Name;
    if (!IsRead) return true;
    // Computed in the trace: rooted in a parameter or local of this function, or a temporary.
    const VarDecl *V = baseVariable(Obj);
    bool Local = !V || (!V->hasGlobalStorage() && cast<Decl>(V->getDeclContext())->getCanonicalDecl() == Fn->getCanonicalDecl());
    if (Local) Found.emplace_back(E, Name);
    return true;
  }

 private:
  const TracedRegionModel &M;
  const FunctionDecl *Fn;
};
}  // namespace

void TraceHostReadCheck::run(const CheckContext &C) {
  std::set<const Expr *> Seen;
  forEachReachableBody(C, [&](const Reachable &R, const FunctionDecl *Def) {
    Reads V(C.Model, Def);
    V.TraverseStmt(Def->getBody());
    for (const auto &[E, Name] : V.Found) {
      if (!Seen.insert(E).second) continue;
      auto F = tracedFinding(C, "trace-host-read", E->getExprLoc(), *R.Root, Name,
                             "'" + Name + "' reads the value of a tensor computed while tracing '" + R.Root->Name +
                                 "': it has no value until the graph runs, and the runtime throws here. Keep the "
                                 "computation in tl ops (tl::where instead of a host branch)");
      F.Notes.push_back({C.point(R.Root->EntryLoc), "'" + R.Root->Name + "' is traced here"});
      C.Report(std::move(F));
    }
  });
}

}  // namespace tracelint
