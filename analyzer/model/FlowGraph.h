#pragma once
// Control flow of one host function, for "can this statement run after that one" questions (does a
// write reach a later call?), on Clang's CFG as clang-tidy's bugprone-use-after-move does.
#include <map>
#include <memory>
#include <utility>

#include "clang/AST/Decl.h"
#include "clang/AST/ParentMap.h"
#include "clang/Analysis/Analyses/CFGReachabilityAnalysis.h"
#include "clang/Analysis/CFG.h"

namespace tracelint {

class FlowGraph {
 public:
  FlowGraph(const clang::FunctionDecl* Fn, clang::ASTContext& Ctx);
  // Can To run after From, on some path through the function (around a loop, From's own
  // statement again)? Unknown statements (no CFG, code the CFG leaves out) answer Unknown.
  enum class Answer { No, Yes, Unknown };
  Answer reaches(const clang::Stmt* From, const clang::Stmt* To);

 private:
  std::pair<const clang::CFGBlock*, unsigned> position(const clang::Stmt* S) const;
  std::unique_ptr<clang::CFG> Graph;
  std::unique_ptr<clang::ParentMap> Parents;
  std::unique_ptr<clang::CFGReverseBlockReachabilityAnalysis> Reach;
  std::map<const clang::Stmt*, std::pair<const clang::CFGBlock*, unsigned>> Positions;
};

}  // namespace tracelint
