#pragma once
// Effect summaries across translation units. While a file is analyzed, every function it defines
// gets a summary (its writes to static storage, and the functions it calls, by USR), and every call
// from a traced region to a function this file cannot see is kept as an open call. After all files,
// the driver resolves open calls through the summaries of the other files, transitively, so a
// helper in util.cpp that bumps a global is found when a traced function in train.cpp calls it.
// Only static storage crosses files: captures and `this` belong to the calling file.
#include <map>
#include <string>
#include <vector>

#include "core/Finding.h"

namespace clang {
class ASTContext;
}

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
  std::string CalleeUsr, CalleeName;
  std::string TracedFunction, TracedFunctionLocation;
  std::string Message;             // the root pack's trace-host-mutation template, {function} filled in
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

// Summarizes the functions defined in the main file and the open calls of the model's traced
// regions; WithFunctions false records only the capture wrappers and external callees.
void summarizeFile(clang::ASTContext& Ctx, const TracedRegionModel& Model, FileSummaries& Out,
                   bool WithFunctions = true);

// Findings for open calls whose callees (transitively) write static storage, using the summaries
// of every analyzed file.
std::vector<Finding> resolveOpenCalls(const std::vector<OpenCall>& Open,
                                      const std::map<std::string, FunctionSummary>& All);

}  // namespace tracelint
