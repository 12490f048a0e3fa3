// Writing through parameters a graph query handed out: cudaGraphKernelNodeGetParams fills a
// cudaKernelNodeParams whose kernelParams and extra arrays, and the argument values they point to,
// belong to the node. A write through them (`*(int*)p.kernelParams[1] = n`, `p.kernelParams[0] =
// &x`) changes runtime-owned memory; the documented way is to build an array of one's own, point
// the field at it and set the parameters. The pack names the queries, the argument they fill and
// the fields (capture region owned_params). Reported: a write after the query (on Clang's CFG of the
// function) whose target goes through one of those fields of the variable the query filled, unless
// the field itself was re-pointed in between (the copy).
#include "checks/TraceRuntimeOwnedParamsCheck.h"

#include <algorithm>
#include <map>
#include <set>

#include "checks/CheckUtil.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "model/FlowGraph.h"

namespace tracelint {

using namespace clang;

namespace {
CheckRegistration<TraceRuntimeOwnedParamsCheck> Registration("trace-runtime-owned-params");

// The variable a query's argument names: `&params` or a pointer `p`.
const VarDecl* filledVariable(const Expr* Arg) {
  Arg = Arg->IgnoreParenImpCasts();
  if (const auto* U = dyn_cast<UnaryOperator>(Arg); U && U->getOpcode() == UO_AddrOf) Arg = U->getSubExpr();
  const auto* Ref = dyn_cast<DeclRefExpr>(Arg->IgnoreParenImpCasts());
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

// Does Target reach V's field (one of Fields) and then go through it (an index or a dereference on
// top)? Through = false: the field itself (`p.kernelParams = args`, a re-pointing).
bool reachesField(const Expr* Target, const VarDecl* V, const std::vector<std::string>& Fields, bool& Through) {
  Through = false;
  for (const Expr* E = Target; E;) {
    E = E->IgnoreParenCasts();
    if (const auto* A = dyn_cast<ArraySubscriptExpr>(E)) {
      Through = true;
      E = A->getBase();
    } else if (const auto* U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_Deref) {
      Through = true;
      E = U->getSubExpr();
    } else if (const auto* M = dyn_cast<MemberExpr>(E)) {
      if (std::find(Fields.begin(), Fields.end(), M->getMemberDecl()->getNameAsString()) != Fields.end())
        return baseVariable(M->getBase()) == V;
      E = M->getBase();
    } else {
      return false;
    }
  }
  return false;
}
}  // namespace

void TraceRuntimeOwnedParamsCheck::run(const CheckContext& C) {
  std::map<std::string, std::pair<const CaptureRegion*, const CaptureRegion::OwnedParams*>> Queries;
  std::set<std::string> Names;
  for (const auto& Kind : C.Model.pack().CaptureRegions)
    for (const auto& O : Kind.OwnedParamQueries)
      Queries.emplace(O.Query, std::make_pair(&Kind, &O)), Names.insert(O.Query);
  if (Queries.empty()) return;
  const auto& SM = C.Ctx.getSourceManager();
  std::map<const FunctionDecl*, std::unique_ptr<FlowGraph>> Flows;
  std::set<std::tuple<std::string, unsigned, unsigned>> Seen;  // once per place, not per instantiation
  for (const auto& [Call, In] : callsNamed(C.Ctx, Names)) {
    auto [Kind, Query] = Queries.at(qualifiedNameOf(Call->getDirectCallee()));
    const VarDecl* V = Query->Arg < Call->getNumArgs() ? filledVariable(Call->getArg(Query->Arg)) : nullptr;
    if (!V || !Kind->Messages || SM.isInSystemHeader(SM.getFileLoc(Call->getBeginLoc()))) continue;
    auto Template = Kind->Messages->find(C.CheckId);
    if (Template == Kind->Messages->end()) continue;
    auto& Flow = Flows[In];
    if (!Flow) Flow = std::make_unique<FlowGraph>(In, C.Ctx);
    // After the query, in the order the function runs (source order where the CFG has no answer).
    auto After = [&](const Stmt* From, const Stmt* To) {
      auto A = Flow->reaches(From, To);
      return A == FlowGraph::Answer::Unknown ? SM.isBeforeInTranslationUnit(From->getBeginLoc(), To->getBeginLoc())
                                             : A == FlowGraph::Answer::Yes;
    };
    std::vector<const Expr*> Repointed, Owned;
    forEachWrite(In->getBody(), [&](const Expr* Target, const Expr* Write) {
      bool Through = false;
      if (!reachesField(Target, V, Query->Fields, Through)) return;
      (Through ? Owned : Repointed).push_back(Write);
    });
    for (const Expr* W : Owned) {
      if (!After(Call, W)) continue;
      bool Copied =
          std::any_of(Repointed.begin(), Repointed.end(), [&](const Expr* R) { return After(Call, R) && After(R, W); });
      auto P = C.point(W->getBeginLoc());
      if (Copied || !Seen.insert({P.File, P.Line, P.Column}).second) continue;
      std::string Text =
          Lexer::getSourceText(CharSourceRange::getTokenRange(W->getSourceRange()), SM, C.Ctx.getLangOpts()).str();
      if (auto Eq = Text.find('='); Eq != std::string::npos) Text = Text.substr(0, Eq);
      while (!Text.empty() && Text.back() == ' ') Text.pop_back();
      Finding F;
      F.CheckId = C.CheckId;
      F.Where = P;
      F.End = C.endOf(W->getSourceRange());
      F.TracedFunction = In->getNameAsString();
      F.Entity = V->getNameAsString() + "@" + locationString(C, W->getBeginLoc());
      F.Message = fillMessage(Template->second, Text, In->getNameAsString(), Query->Query);
      F.Notes.push_back(
          {C.point(Call->getBeginLoc()), "'" + Query->Query + "' hands out the node's own parameters here"});
      C.Report(std::move(F));
    }
  }
}

}  // namespace tracelint
