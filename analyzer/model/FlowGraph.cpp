#include "model/FlowGraph.h"

namespace tracelint {

using namespace clang;

FlowGraph::FlowGraph(const FunctionDecl* Fn, ASTContext& Ctx) {
  Stmt* Body = Fn ? Fn->getBody() : nullptr;
  if (!Body) return;
  CFG::BuildOptions Options;
  Options.AddImplicitDtors = false;
  Options.AddTemporaryDtors = false;
  Options.setAllAlwaysAdd();  // every statement an element: positions without parent walks, mostly
  Graph = CFG::buildCFG(Fn, Body, &Ctx, Options);
  if (!Graph) return;
  Parents = std::make_unique<ParentMap>(Body);
  Reach = std::make_unique<CFGReverseBlockReachabilityAnalysis>(*Graph);
  for (const CFGBlock* Block : *Graph) {
    unsigned Index = 0;
    for (const auto& Element : *Block) {
      if (auto S = Element.getAs<CFGStmt>()) Positions.emplace(S->getStmt(), std::make_pair(Block, Index));
      ++Index;
    }
  }
}

std::pair<const CFGBlock*, unsigned> FlowGraph::position(const Stmt* S) const {
  for (int Guard = 0; S && Guard < 64; ++Guard, S = Parents->getParent(S)) {
    auto It = Positions.find(S);
    if (It != Positions.end()) return It->second;
  }
  return {nullptr, 0};
}

FlowGraph::Answer FlowGraph::reaches(const Stmt* From, const Stmt* To) {
  if (!Graph) return Answer::Unknown;
  auto [FromBlock, FromIndex] = position(From);
  auto [ToBlock, ToIndex] = position(To);
  if (!FromBlock || !ToBlock) return Answer::Unknown;
  if (FromBlock == ToBlock && FromIndex < ToIndex) return Answer::Yes;
  if (FromBlock != ToBlock) return Reach->isReachable(FromBlock, ToBlock) ? Answer::Yes : Answer::No;
  // The same block, To first: only around a cycle back into the block.
  for (const auto& Succ : FromBlock->succs())
    if (Succ && (Succ == ToBlock || Reach->isReachable(Succ, ToBlock))) return Answer::Yes;
  return Answer::No;
}

}  // namespace tracelint
