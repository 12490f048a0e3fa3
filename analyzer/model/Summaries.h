#pragma once
// What one translation unit tells the others. A check with a cross-file part (see checks/Check.h)
// records a summary of every function the file defines (its writes to static storage, and the
// functions it calls, by USR) and an open call for every call from a traced region to a function
// this file cannot see. After all files, the check's resolver follows open calls through the
// summaries of the other files, transitively: a helper in util.cpp that bumps a global is found
// when a traced function in train.cpp calls it. The model records only capture use: which
// functions begin or end a capture, and which functions a file calls without their bodies.
#include <map>
#include <string>
#include <vector>

#include "core/Finding.h"

namespace clang {
class ASTContext;
class Decl;
}  // namespace clang

namespace tracelint {

class TracedRegionModel;

struct SummaryWrite {
  SourcePoint Where;
  std::string Entity;  // qualified name
  std::string Shown;   // how a message names it ("global 'counter'")
  std::string How;     // "assigned", "incremented", ...
};

struct FunctionSummary {
  std::string Name;
  std::vector<SummaryWrite> Writes;
  std::vector<std::string> Callees;  // USRs
};

struct OpenCall {
  std::string CheckId;  // the check that recorded it, whose resolver it goes to
  std::string CalleeUsr, CalleeName;
  std::string TracedFunction, TracedFunctionLocation;
  std::string Message;             // the root pack's message template for the check, {function} filled in
  std::vector<FindingNote> Notes;  // the call path inside the calling file, ending at the call
};

struct FileSummaries {
  std::map<std::string, FunctionSummary> Functions;  // by USR
  std::vector<OpenCall> OpenCalls;
  // Functions defined here that begin (or end) a capture and return, by USR, with the begin name of
  // their region kind; and the functions this file calls without having their bodies. A file that
  // calls another file's wrapper is analyzed again with the wrapper known (Pack::addCaptureWrappers).
  std::map<std::string, std::string> CaptureBegins, CaptureEnds;
  std::vector<std::string> ExternalCallees;
};

// Records the capture wrappers the main file defines and the functions it calls without their
// bodies (candidates for another file's wrappers).
void summarizeCaptureUse(clang::ASTContext& Ctx, const TracedRegionModel& Model, FileSummaries& Out);

// The Unified Symbol Resolution of D, the key that joins a declaration across files; "" when Clang
// cannot name it.
std::string usrOf(const clang::Decl* D);

}  // namespace tracelint
