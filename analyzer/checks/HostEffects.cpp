#include "checks/HostEffects.h"

#include <optional>
#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace tracelint {

using namespace clang;

namespace {
// A record named without template arguments: the template of a specialization.
std::string recordName(const CXXRecordDecl* RD) {
  if (const auto* Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD))
    return qualifiedNameOf(Spec->getSpecializedTemplate());
  return qualifiedNameOf(RD);
}
}  // namespace

std::string matchedCallName(const Expr* E, const std::vector<std::string>& Names) {
  std::vector<std::string> Candidates;
  if (const auto* Construct = dyn_cast<CXXConstructExpr>(E)) {
    const auto* RD = Construct->getConstructor()->getParent();
    Candidates.push_back(recordName(RD) + "::" + RD->getNameAsString());
  } else if (const auto* Call = dyn_cast<CallExpr>(E); Call && Call->getDirectCallee()) {
    const auto* FD = Call->getDirectCallee();
    Candidates.push_back(qualifiedNameOf(FD));
    if (const auto* MD = dyn_cast<CXXMethodDecl>(FD)) {
      Candidates.push_back(recordName(MD->getParent()) + "::" + MD->getNameAsString());
      if (const auto* Member = dyn_cast<CXXMemberCallExpr>(Call))
        if (const auto* Obj = Member->getImplicitObjectArgument()) {
          Obj = Obj->IgnoreParenImpCasts();  // past the derived-to-base conversion of an inherited method
          QualType T = Obj->getType();
          if (T->isPointerType()) T = T->getPointeeType();
          if (const auto* RD = T->getAsCXXRecordDecl())
            Candidates.push_back(recordName(RD) + "::" + MD->getNameAsString());
        }
    }
  }
  for (const auto& C : Candidates)
    for (const auto& N : Names)
      if (C == N) return N;
  return "";
}

namespace {
class HostCalls : public RecursiveASTVisitor<HostCalls> {
 public:
  explicit HostCalls(const std::vector<std::string>& Names) : Names(Names) {}
  std::vector<std::pair<const Expr*, std::string>> Found;
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  bool VisitCallExpr(CallExpr* E) {
    if (auto N = matchedCallName(E, Names); !N.empty()) Found.emplace_back(E, N);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr* E) {
    if (auto N = matchedCallName(E, Names); !N.empty()) Found.emplace_back(E, N);
    return true;
  }

 private:
  const std::vector<std::string>& Names;
};
}  // namespace

namespace {
// `std::cout << t;` as a whole statement, t a tensor: safely `print(t);`. Anything longer (chained
// insertions, a stream other than cout/cerr) gets no fix-it.
std::optional<FixIt> printFix(const CheckContext& C, const CallExpr* E, const Stmt* Body) {
  const auto& P = C.Model.pack();
  const auto* Op = dyn_cast<CXXOperatorCallExpr>(E);
  if (P.PrintFunction.empty() || !Op || Op->getOperator() != OO_LessLess || Op->getNumArgs() != 2) return std::nullopt;
  if (!C.Model.isSymbolicTensorType(Op->getArg(1)->getType())) return std::nullopt;
  const auto* Stream = dyn_cast<DeclRefExpr>(Op->getArg(0)->IgnoreImplicit());
  if (!Stream ||
      (qualifiedNameOf(Stream->getDecl()) != "std::cout" && qualifiedNameOf(Stream->getDecl()) != "std::cerr"))
    return std::nullopt;
  // A full statement of some block (temporaries wrap it in ExprWithCleanups).
  struct Find : RecursiveASTVisitor<Find> {
    const Expr* Target;
    bool Found = false;
    bool VisitCompoundStmt(CompoundStmt* S) {
      for (auto* Child : S->body()) {
        const Stmt* Bare = Child;
        if (auto* W = dyn_cast<ExprWithCleanups>(Child)) Bare = W->getSubExpr();
        Found |= Bare == Target;
      }
      return !Found;
    }
  } F;
  F.Target = E;
  F.TraverseStmt(const_cast<Stmt*>(Body));
  bool Statement = F.Found;
  const auto& SM = C.Ctx.getSourceManager();
  if (!Statement || E->getBeginLoc().isMacroID() || E->getEndLoc().isMacroID()) return std::nullopt;
  auto Arg =
      Lexer::getSourceText(CharSourceRange::getTokenRange(Op->getArg(1)->getSourceRange()), SM, C.Ctx.getLangOpts());
  auto Begin = SM.getFileLoc(E->getBeginLoc());
  auto End = Lexer::getLocForEndOfToken(SM.getFileLoc(E->getEndLoc()), 0, SM, C.Ctx.getLangOpts());
  if (Arg.empty() || End.isInvalid()) return std::nullopt;
  FixIt X;
  X.Begin = C.point(Begin);
  X.FileOffset = SM.getFileOffset(Begin);
  X.Length = SM.getFileOffset(End) - X.FileOffset;
  X.Replacement = P.PrintFunction + "(" + Arg.str() + ")";
  X.Original = Lexer::getSourceText(CharSourceRange::getCharRange(Begin, End), SM, C.Ctx.getLangOpts()).str();
  return X;
}
}  // namespace

namespace {
// The stream an insertion chain writes to: `ss << a << b` is operator<<(operator<<(ss, a), b), and
// only its innermost left operand has the stream's own type (the others are basic_ostream&).
const Expr* streamOf(const CallExpr* E) {
  const Expr* S = nullptr;
  if (const auto* M = dyn_cast<CXXMemberCallExpr>(E))
    S = M->getImplicitObjectArgument();
  else if (E->getNumArgs() > 0)
    S = E->getArg(0);
  while (S) {
    S = S->IgnoreParenImpCasts();
    if (const auto* Inner = dyn_cast<CXXOperatorCallExpr>(S); Inner && Inner->getOperator() == OO_LessLess) {
      S = Inner->getArg(0);
    } else if (const auto* Member = dyn_cast<CXXMemberCallExpr>(S);
               Member && Member->getMethodDecl() && Member->getMethodDecl()->getOverloadedOperator() == OO_LessLess) {
      S = Member->getImplicitObjectArgument();
    } else {
      break;
    }
  }
  return S;
}
}  // namespace

void reportHostCalls(const CheckContext& C, const std::vector<std::string>& Names) {
  // One finding per line: `std::cout << a << b` is several operator calls but one statement.
  std::set<std::pair<std::string, unsigned>> Seen;
  const auto& SM = C.Ctx.getSourceManager();
  forEachReachableBody(C, [&](const Reachable& R, const FunctionDecl* Def) {
    HostCalls V(Names);
    V.TraverseStmt(Def->getBody());
    auto Report = [&](const Expr* E, const std::string& Callee) {
      if (SM.isInSystemHeader(SM.getFileLoc(E->getExprLoc())) || !C.Model.inRegion(R, E) ||
          endsTheProgram(E, Def->getBody(), C.Ctx))
        return;
      // Writing into a string stream is no I/O; printing its text later is, where that happens.
      if (const auto* Call = dyn_cast<CallExpr>(E))
        if (const auto* Stream = streamOf(Call); Stream && C.Model.isInMemoryStream(Stream->getType())) return;
      auto Message = packMessage(C, *R.Root, "", Callee);
      if (!Message) return;
      auto P = C.point(E->getBeginLoc());
      if (!Seen.insert({P.File, P.Line}).second) return;
      auto F = tracedFinding(C, E->getBeginLoc(), *R.Root, Callee, *Message);
      if (const auto* Call = dyn_cast<CallExpr>(E))
        if (auto X = printFix(C, Call, Def->getBody())) F.Fixes.push_back(*X);
      addTracePathNotes(C, R, F);
      C.Report(std::move(F));
    };
    for (const auto& [E, Name] : V.Found)
      Report(E, isa<CXXConstructExpr>(E) ? qualifiedNameOf(cast<CXXConstructExpr>(E)->getConstructor()->getParent())
                                         : Name);
  });
}

}  // namespace tracelint
