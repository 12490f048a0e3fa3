#pragma once
// The JSON forms of findings and effect summaries, shared by the worker protocol
// (cli/FileAnalysis.h) and the exported summaries and results (cli/ExportFile.h). Field names are
// the members' own: the worker protocol is one binary talking to itself, and the exported files
// carry a format version that changes whenever these do.
#include <nlohmann/json.hpp>

#include "core/Finding.h"
#include "model/Summaries.h"

namespace tracelint {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SourcePoint, File, Line, Column)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FindingNote, Where, Message)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FixIt, Begin, FileOffset, Length, Replacement, Original)
NLOHMANN_JSON_SERIALIZE_ENUM(Severity,
                             {{Severity::Note, "note"}, {Severity::Warning, "warning"}, {Severity::Error, "error"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Finding, CheckId, Level, Where, End, Message, Notes, Fixes, TracedFunction,
                                   TracedFunctionLocation, Entity)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FileFailure, File, Reason)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SummaryWrite, Where, Entity, Shown, How)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FunctionSummary, Name, Writes, Callees)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OpenCall, CalleeUsr, CalleeName, TracedFunction, TracedFunctionLocation, Message,
                                   Notes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FileSummaries, Functions, OpenCalls, CaptureBegins, CaptureEnds, ExternalCallees)

}  // namespace tracelint
