#pragma once
// Small AST queries shared by the checks about host code around traced calls.
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "checks/Check.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"

namespace tracelint {

// The variable an lvalue expression is rooted in (`opt.lr`, `w[3]`, `*p` -> opt, w, p).
const clang::VarDecl* baseVariable(const clang::Expr* E);

// Calls Fn(target, write) for every write in S: assignments, compound assignments, increments,
// assignment operators of class types, and calls of mutating library methods (push_back, clear,
// emplace, reset; see mutatesObject) whose target is their object. Nested lambda bodies are skipped.
void forEachWrite(const clang::Stmt* S,
                  const std::function<void(const clang::Expr* Target, const clang::Expr* Write)>& Fn);

// Does calling M change its object? Non-const methods do, except the non-const twins of const
// accessors (operator[], at, front, begin, data, value), which only hand out access.
bool mutatesObject(const clang::CXXMethodDecl* M);

// Is VD a local or parameter of a frame that exists only while tracing: of R's function or of a
// function on its call path from the traced root (a nested lambda's by-reference capture of the
// trace's own local is such a local)?
bool isTraceLocal(const clang::VarDecl* VD, const Reachable& R);

// Is S in the then-branch of an `if` whose condition tests state that outlives Fn's call and that
// the branch itself writes (`if (!w) w = ...`, `if (v.empty()) v.emplace_back(...)`,
// `if (!built_) { ...; built_ = true; }`)? Such a branch runs once, on the first trace: the
// create-once pattern of tf.function.
bool inCreateOnceBranch(const clang::Stmt* S, const clang::FunctionDecl* Fn, const clang::ParentMap& PM);

// Does Frame's function run only from create-once branches: is every call made while tracing
// (directly, or through callers that themselves run only so) in one? A constructor called as
// `if (!layer) layer = Dense();` runs on the first trace only, like the branch.
bool reachedOnlyOnce(const TracedRegionModel& M, const Reachable& Frame, int Depth = 0);

// Is `this`, in Frame's method, an object that lives inside the trace in every call made while
// tracing (`Accumulator acc; acc.add(x);` in the traced function)? Then writes to its members
// are local writes. The traced root's own object (a function object) is not.
bool thisIsTraceLocal(const TracedRegionModel& M, const Reachable& Frame, int Depth = 0);

// When VD is a reference or pointer parameter of Frame's function (a helper, not the traced root:
// its parameters are the traced inputs), calls Fn(argument, caller's frame) for what every call
// made while tracing passes for it, and returns true; otherwise returns false.
bool forEachArgumentFor(const TracedRegionModel& M, const clang::VarDecl* VD, const Reachable& Frame,
                        const std::function<void(const clang::Expr* Arg, const Reachable& Caller)>& Fn);

// The variable, or the member of `this`, an lvalue expression is rooted in.
const clang::ValueDecl* baseEntity(const clang::Expr* E);

// Variables (and members of `this`) whose value can differ between iterations of Loop: its
// induction variables, what is written in it, and locals of its body initialized from those.
std::set<const clang::ValueDecl*> loopVarying(const clang::Stmt* Loop);

// The first reference in E to one of Vars (a variable, or a member of `this`), or nullptr.
const clang::Expr* referenceTo(const clang::Expr* E, const std::set<const clang::ValueDecl*>& Vars);
const clang::DeclRefExpr* referenceTo(const clang::Expr* E, const std::set<const clang::VarDecl*>& Vars);
std::string nameOf(const clang::Expr* Reference);

// Is D declared inside S?
bool declaredWithin(const clang::Decl* D, const clang::Stmt* S, const clang::SourceManager& SM);

std::string locationString(const CheckContext& C, clang::SourceLocation Loc);

// "file:first-last" lines of the call that creates the traced function.
std::string tracedFunctionSite(const CheckContext& C, const TracedRoot& Root);

// Calls Fn(R, Body) for every trace-reachable function that has a body here, with its definition.
// Constructors' member initializers are part of what runs: Fn sees them through the definition.
void forEachReachableBody(const CheckContext& C,
                          const std::function<void(const Reachable&, const clang::FunctionDecl* Def)>& Fn);

// The calls, in the bodies of this file's functions (system headers left out; template
// instantiations included, so callers dedupe by place), of functions whose qualified name is in
// Names, with the function or lambda holding each. For checks that look at every function, not
// only at traced regions.
std::vector<std::pair<const clang::CallExpr*, const clang::FunctionDecl*>> callsNamed(
    clang::ASTContext& Ctx, const std::set<std::string>& Names);

// The call path from the traced root down to R.Fn, one note per call (and one for the calls of a
// deeper chain that are not shown).
std::vector<FindingNote> callPathNotes(const CheckContext& C, const Reachable& R);
// The note at the place a root starts recording: where it is traced, or where its capture begins.
FindingNote rootNote(const CheckContext& C, const TracedRoot& Root);
// Is S on a path that ends the program: a statement of a branch (an if's, a case's, a catch's
// block) that goes on to call a function that does not return, or to throw
// (`if (err) { fprintf(stderr, ...); exit(1); }`, the failure branch of a checking helper)? What runs there runs once,
// as the process dies; the capture or trace it interrupts is lost anyway, so it is no hazard of replays.
bool endsTheProgram(const clang::Stmt* S, const clang::Stmt* Body, clang::ASTContext& Ctx);

// Notes for a finding in trace-reachable code: the call path from the traced root, then the root.
// Then placeInMainFile.
void addTracePathNotes(const CheckContext& C, const Reachable& R, Finding& F);
// A hazard reached in a header from a traced region of the main file belongs to the main file: it
// moves to the main file's call that leads there (the deepest one on its path), with a first note
// at the header line. Otherwise the default --header-filter would hide a capture bug the main file
// has. A region that lies in the header keeps the finding there, for the header filter to decide.
void placeInMainFile(const CheckContext& C, const Reachable& R, Finding& F);

// The message the root's pack gives for the running check (Variant "") or for one of its variants
// ("call" for "<check>.call"), filled in; nullopt when the pack does not apply that rule: findings
// come only for the hazards a pack says its API has.
std::optional<std::string> packMessage(const CheckContext& C, const TracedRoot& Root, std::string_view Variant,
                                       const std::string& Subject, const std::string& Source = "");

// A finding about a traced function, with the note at its creation site. It covers Range (a
// location alone covers its token).
Finding tracedFinding(const CheckContext& C, clang::SourceRange Range, const TracedRoot& Root, std::string Entity,
                      std::string Message);

}  // namespace tracelint
