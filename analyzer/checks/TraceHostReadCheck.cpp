// Host reads of symbolic tensors in trace-reachable code: item(), to_vector(), a bool conversion
// (a host branch on a tensor). A tensor is symbolic when it is computed inside the trace: a
// parameter or a local of trace-reachable code; a tensor captured from outside is concrete and
// may be read.
#include "checks/TraceHostReadCheck.h"

#include <set>

#include "checks/CheckUtil.h"
#include "checks/HostEffects.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceHostReadCheck> Registration("trace-host-read");

class Reads : public RecursiveASTVisitor<Reads> {
 public:
  Reads(const TracedRegionModel& M, const Reachable& R, const FunctionDecl* Fn) : M(M), R(R), Fn(Fn) {}
  std::vector<std::pair<const CXXMemberCallExpr*, std::string>> Found;
  // Calls (and constructions, a library wrapper's) that wait for device values, by the pack's name.
  std::vector<std::pair<const Expr*, std::string>> Waits;
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  bool VisitCallExpr(CallExpr* E) {
    if (auto Name = matchedCallName(E, M.pack().HostReadFunctions); !Name.empty() && M.inRegion(R, E))
      Waits.emplace_back(E, Name);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr* E) {
    if (auto Name = matchedCallName(E, M.pack().HostReadFunctions); !Name.empty() && M.inRegion(R, E))
      Waits.emplace_back(E, Name);
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr* E) {
    const auto* MD = E->getMethodDecl();
    const Expr* Obj = E->getImplicitObjectArgument();
    if (!MD || !Obj || !M.isSymbolicTensorType(Obj->getType())) return true;
    std::string Name = isa<CXXConversionDecl>(MD) ? "operator bool" : MD->getNameAsString();
    bool IsRead = false;
    for (const auto& R : M.pack().HostReadMethods) IsRead |= R == Name;
    if (!IsRead) return true;
    // Computed in the trace: rooted in a parameter or local of this function, or a temporary. While
    // a capture records, every tensor's value is still to be computed by work not yet run.
    const VarDecl* V = baseVariable(Obj);
    bool Local =
        !V || (!V->hasGlobalStorage() && cast<Decl>(V->getDeclContext())->getCanonicalDecl() == Fn->getCanonicalDecl());
    if ((Local || R.Root->isCapture()) && M.inRegion(R, E)) Found.emplace_back(E, Name);
    return true;
  }

 private:
  const TracedRegionModel& M;
  const Reachable& R;
  const FunctionDecl* Fn;
};
}  // namespace

void TraceHostReadCheck::run(const CheckContext& C) {
  std::set<const Expr*> Seen;
  forEachReachableBody(C, [&](const Reachable& R, const FunctionDecl* Def) {
    Reads V(C.Model, R, Def);
    V.TraverseStmt(Def->getBody());
    auto Report = [&](const Expr* E, const std::string& Name, const char* Variant) {
      auto Message = packMessage(C, *R.Root, Variant, Name);
      if (!Message || !Seen.insert(E).second) return;
      auto F = tracedFinding(C, E->getExprLoc(), *R.Root, Name, *Message);
      F.Notes.push_back(rootNote(C, *R.Root));
      placeInMainFile(C, R, F);
      C.Report(std::move(F));
    };
    for (const auto& [E, Name] : V.Found) Report(E, Name, "");
    for (const auto& [E, Name] : V.Waits) Report(E, Name, "call");
  });
}

}  // namespace tracelint
