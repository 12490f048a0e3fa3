#pragma once
// Small AST queries shared by the checks about host code around traced calls.
#include <functional>
#include <set>
#include <string>

#include "checks/Check.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

namespace tracelint {

// The variable an lvalue expression is rooted in (`opt.lr`, `w[3]`, `*p` -> opt, w, p).
const clang::VarDecl *baseVariable(const clang::Expr *E);

// Calls Fn(target, location) for every write in S: assignments, compound assignments,
// increments, and assignment operators of class types. Nested lambda bodies are skipped.
void forEachWrite(const clang::Stmt *S, const std::function<void(const clang::Expr *, clang::SourceLocation)> &Fn);

// The variable, or the member of `this`, an lvalue expression is rooted in.
const clang::ValueDecl *baseEntity(const clang::Expr *E);

// Variables (and members of `this`) whose value can differ between iterations of Loop: its
// induction variables, what is written in it, and locals of its body initialized from those.
std::set<const clang::ValueDecl *> loopVarying(const clang::Stmt *Loop);

// The first reference in E to one of Vars (a variable, or a member of `this`), or nullptr.
const clang::Expr *referenceTo(const clang::Expr *E, const std::set<const clang::ValueDecl *> &Vars);
const clang::DeclRefExpr *referenceTo(const clang::Expr *E, const std::set<const clang::VarDecl *> &Vars);
std::string nameOf(const clang::Expr *Reference);

// Is D declared inside S?
bool declaredWithin(const clang::Decl *D, const clang::Stmt *S, const clang::SourceManager &SM);

std::string locationString(const CheckContext &C, clang::SourceLocation Loc);

// "file:first-last" lines of the call that creates the traced function.
std::string tracedFunctionSite(const CheckContext &C, const TracedRoot &Root);

// Calls Fn(R, Body) for every trace-reachable function that has a body here, with its definition.
// Constructors' member initializers are part of what runs: Fn sees them through the definition.
void forEachReachableBody(const CheckContext &C,
                          const std::function<void(const Reachable &, const clang::FunctionDecl *Def)> &Fn);

// The call path from the traced root down to R.Fn, one note per call (and one for the calls of a
// deeper chain that are not shown).
std::vector<FindingNote> callPathNotes(const CheckContext &C, const Reachable &R);
// Notes for a finding in trace-reachable code: the call path from the traced root, then the root.
void addTracePathNotes(const CheckContext &C, const Reachable &R, Finding &F);

// A finding about a traced function, with the note at its creation site.
Finding tracedFinding(const CheckContext &C, const char *Check, clang::SourceLocation Loc, const TracedRoot &Root,
                      std::string Entity, std::string Message);

}  // namespace tracelint
