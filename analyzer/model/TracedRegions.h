#pragma once
// The traced-region model. See analyzer/README.md for the terms.
//
// A traced root is the callable handed to an entry point of a selected pack (the lambda given to
// tl::function, a function named there, a function object's operator()). A function is
// trace-reachable when a traced root calls it, directly or through other functions whose bodies
// this translation unit has. For every reachable function the model keeps one call path back to
// its root, so a finding in a helper can say how tracing gets there.
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "core/Pack.h"

namespace tracelint {

struct TracedRoot {
  // For a capture region: the function holding it; only the code inside Region, and what that
  // code calls, runs while capturing.
  const clang::FunctionDecl* Callable = nullptr;  // the body that runs while tracing
  std::string Name;                               // the traced function's name for messages
  clang::SourceLocation EntryLoc;                 // where the entry point is called
  clang::SourceLocation EntryEndLoc;              // end of that call (compilers place it differently)
  const clang::LambdaExpr* Lambda = nullptr;      // set when the callable is a lambda
  const clang::VarDecl* Holder = nullptr;         // the variable holding the traced function object
  bool HasRetraceOptions = false;                 // input_signature / reduce_retracing given
  const EntryPoint* Entry = nullptr;              // the entry point that traces it, for entry-point roots
  const CaptureRegion* Capture = nullptr;         // the region kind, for capture regions
  clang::SourceRange Region;                      // capture-time code in Callable (file locations); invalid: all of it
  bool RegionEndIncluded = false;          // a guarded branch ends with its last token; a capture before its end call
  const clang::Expr* BeginCall = nullptr;  // where capture begins (or the is-capturing test)
  const clang::Expr* EndCall = nullptr;    // where it ends in Callable, if it does there
  std::shared_ptr<const MessageTemplates> Messages;
  bool isCapture() const { return Capture != nullptr; }
};

// A call of a traced function object from host code (outside any traced region), or a replay of
// a captured graph (which plays the same role).
struct TracedCall {
  enum class CallKind { Call, Replay };
  CallKind Kind = CallKind::Call;
  const clang::CallExpr* Call = nullptr;
  const TracedRoot* Root = nullptr;
  const clang::FunctionDecl* Caller = nullptr;
  const clang::Stmt* Loop = nullptr;  // innermost loop around the call in the caller, if any
};

struct CallStep {
  const clang::Expr* Call;            // the call (or construction) in the caller
  const clang::FunctionDecl* Caller;  // the function containing the call
};

struct Reachable {
  const clang::FunctionDecl* Fn = nullptr;
  const TracedRoot* Root = nullptr;
  std::vector<CallStep> Path;  // from the root down to Fn, its first kMaxPathFrames calls
  unsigned HiddenFrames = 0;   // calls of a deeper chain left out of Path
};

// Notes per finding are capped; the chain itself is followed to any depth (each function once per
// root), so a deep chain costs notes, never the finding.
constexpr std::size_t kMaxPathFrames = 64;

// A call from trace-reachable code to a function whose body this translation unit does not have.
struct OpenCallSite {
  const Reachable* From = nullptr;
  const clang::Expr* Call = nullptr;
  const clang::FunctionDecl* Callee = nullptr;
};

// A call, in trace-reachable code, of a function whose body this translation unit has.
struct CallSite {
  const clang::Expr* Call = nullptr;
  const Reachable* From = nullptr;  // the calling function, reached from the same root
};

class TracedRegionModel {
 public:
  TracedRegionModel(clang::ASTContext& Ctx, const Pack& P);
  const std::vector<TracedRoot>& roots() const { return Roots; }
  const std::vector<Reachable>& reachable() const { return Reach; }
  const std::vector<TracedCall>& tracedCalls() const { return Calls; }
  const std::vector<OpenCallSite>& openCalls() const { return Open; }
  // Every call of Fn made while tracing Root, not only the one on Fn's recorded call path: what a
  // helper does to its reference parameters is done to each caller's argument.
  const std::vector<CallSite>& callSitesOf(const clang::FunctionDecl* Fn, const TracedRoot* Root) const;
  // Variables the traced function reads (directly or in functions it calls), with one read each.
  const std::map<const clang::VarDecl*, const clang::DeclRefExpr*>& readsOf(const TracedRoot* R) const;
  bool isTraceReachable(const clang::FunctionDecl* FD) const;
  bool isVariableCreatingType(clang::QualType T) const;
  bool isSymbolicTensorType(clang::QualType T) const;
  bool isShapeFunction(const clang::FunctionDecl* FD) const;
  // Does parameter Index of shape function FD set the result's shape? A pack entry may name those
  // parameters ("tl::slice(size)": the begin offsets do not change the shape); without names,
  // container parameters do, and scalar ones for the pack's shape_from_scalar_args.
  bool isShapeParameter(const clang::FunctionDecl* FD, unsigned Index) const;
  // For a range function (the pack's range_functions), the parameter indices of its start, stop
  // and step; none for another function.
  std::optional<std::array<unsigned, 3>> rangeParameters(const clang::FunctionDecl* FD) const;
  bool isStateHandleType(clang::QualType T) const;
  bool isInMemoryStream(clang::QualType T) const { return derivesFrom(T, ThePack.InMemoryStreamTypes); }
  // Is the code a call of FD runs visible here: FD's body, or, for a virtual method, the overriders
  // this translation unit defines (the model follows them)?
  bool runsVisibleCode(const clang::FunctionDecl* FD) const;
  bool isGraphEffect(const clang::FunctionDecl* FD) const;
  const Pack& pack() const { return ThePack; }
  // Does S run while R's root records? Everything does for an entry point's callable; for a capture
  // region, what lies between its begin and end, except code guarded by a "not capturing" test.
  bool inRegion(const Reachable& R, const clang::Stmt* S) const;
  // Functions of this file that begin (or end) a capture and return: their callers, here or in
  // another file, begin (or end) a capture region by calling them.
  struct CaptureWrapper {
    const clang::FunctionDecl* Fn;
    bool Begins;
    const CaptureRegion* Kind;
  };
  const std::vector<CaptureWrapper>& captureWrappers() const { return Wrappers; }

 private:
  void findRoots();
  // Capture regions, and the branches guarded by "is capturing" tests in code no region reaches.
  void findCaptureRoots();
  void propagate(std::size_t FirstRoot);
  std::vector<const clang::FunctionDecl*> callablesOf(
      const clang::Expr* E,
      const std::function<std::vector<const clang::FunctionDecl*>(const clang::ParmVarDecl*)>& Bind,
      int Depth = 0) const;
  // Built on first use: every call of each function in the translation unit, and each virtual
  // method's overriders.
  const std::vector<const clang::CallExpr*>& callsOf(const clang::FunctionDecl* FD) const;
  const std::vector<const clang::CXXMethodDecl*>& overridersOf(const clang::CXXMethodDecl* M) const;
  struct CallIndexData {
    std::map<const clang::FunctionDecl*, std::vector<const clang::CallExpr*>> CallsOf;
    std::map<const clang::CXXMethodDecl*, std::vector<const clang::CXXMethodDecl*>> Overriders;
  };
  mutable std::shared_ptr<CallIndexData> Index;
  const std::vector<clang::SourceRange>& notCapturingIn(const clang::FunctionDecl* FD) const;
  void findCalls();
  clang::ASTContext& Ctx;
  const Pack& ThePack;
  std::vector<TracedRoot> Roots;
  std::vector<TracedRoot> GuardedBranches;  // is-capturing branches, made roots where no region reaches them
  std::vector<Reachable> Reach;
  std::vector<TracedCall> Calls;
  std::vector<OpenCallSite> Open;
  std::vector<std::tuple<std::size_t, const clang::Expr*, const clang::FunctionDecl*>> PendingOpen;
  std::vector<std::tuple<std::size_t, const clang::Expr*, const clang::FunctionDecl*>> PendingSites;
  std::map<std::pair<const clang::FunctionDecl*, const TracedRoot*>, std::vector<CallSite>> Sites;
  std::map<const TracedRoot*, std::map<const clang::VarDecl*, const clang::DeclRefExpr*>> Reads;
  std::set<const clang::FunctionDecl*> ReachableSet;
  mutable std::map<const clang::FunctionDecl*, std::vector<clang::SourceRange>> NotCapturing;
  std::map<const clang::FunctionDecl*, clang::SourceLocation> EndsCapture;
  std::vector<CaptureWrapper> Wrappers;                      // functions ending a capture, where
  std::map<std::string, std::set<std::string>> ShapeParams;  // shape function -> named shape parameters (may be empty)
  std::map<std::string, std::vector<std::string>> RangeParams;  // range function -> start, stop, step names
  bool derivesFrom(clang::QualType T, const std::vector<std::string>& Names) const;
};

// The packs of Configured (its parts) that apply to this translation unit: those without detect
// names, and those whose detect names it declares. A pack's API is on wherever it is used.
Pack packsUsedIn(clang::ASTContext& Ctx, const Pack& Configured);

// How a begin or end call of Kind names its handle: its handle argument as written, or the object
// of a method call, without spaces; "" when it has none. Two calls name one handle when equal.
std::string captureHandleOf(const clang::CallExpr* Call, const CaptureRegion& Kind, const clang::ASTContext& Ctx);

// "ns::Class::method" for a declaration, without template arguments.
std::string qualifiedNameOf(const clang::NamedDecl* D);
bool nameMatches(const clang::NamedDecl* D, const std::vector<std::string>& Names);

}  // namespace tracelint
