#pragma once
// The traced-region model. See analyzer/README.md for the terms.
//
// A traced root is the callable handed to an entry point of a selected pack (the lambda given to
// tl::function, a function named there, a function object's operator()). A function is
// trace-reachable when a traced root calls it, directly or through other functions whose bodies
// this translation unit has. For every reachable function the model keeps one call path back to
// its root, so a finding in a helper can say how tracing gets there.
#include <map>
#include <string>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "core/Pack.h"

namespace tracelint {

struct TracedRoot {
  const clang::FunctionDecl *Callable = nullptr;  // the body that runs while tracing
  std::string Name;                                // the traced function's name for messages
  clang::SourceLocation EntryLoc;                  // where the entry point is called
  const clang::LambdaExpr *Lambda = nullptr;       // set when the callable is a lambda
};

struct CallStep {
  const clang::Expr *Call;            // the call (or construction) in the caller
  const clang::FunctionDecl *Caller;  // the function containing the call
};

struct Reachable {
  const clang::FunctionDecl *Fn = nullptr;
  const TracedRoot *Root = nullptr;
  std::vector<CallStep> Path;  // from the root down to Fn
};

class TracedRegionModel {
 public:
  TracedRegionModel(clang::ASTContext &Ctx, const Pack &P);
  const std::vector<TracedRoot> &roots() const { return Roots; }
  const std::vector<Reachable> &reachable() const { return Reach; }
  bool isStateHandleType(clang::QualType T) const;
  bool isGraphEffect(const clang::FunctionDecl *FD) const;
  const Pack &pack() const { return ThePack; }

 private:
  void findRoots();
  void propagate();
  clang::ASTContext &Ctx;
  const Pack &ThePack;
  std::vector<TracedRoot> Roots;
  std::vector<Reachable> Reach;
};

// "ns::Class::method" for a declaration, without template arguments.
std::string qualifiedNameOf(const clang::NamedDecl *D);
bool nameMatches(const clang::NamedDecl *D, const std::vector<std::string> &Names);

}  // namespace tracelint
