#pragma once
// The JSON forms of findings and effect summaries, shared by the worker protocol
// (cli/FileAnalysis.h) and the exported summaries and results (cli/ExportFile.h). Field names are
// the members' own: the worker protocol is one binary talking to itself, and the exported files
// carry a format version that changes whenever these do.
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/Finding.h"
#include "model/Summaries.h"

namespace tracelint {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SourcePoint, File, Line, Column)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FindingNote, Where, Message)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FixIt, Begin, FileOffset, Length, Replacement, Original)
inline void to_json(nlohmann::json& J, Severity S) { J = severityName(S); }
inline void from_json(const nlohmann::json& J, Severity& S) {
  auto Parsed = parseSeverity(J.get<std::string>());
  if (!Parsed) throw std::runtime_error("unknown severity " + J.dump());
  S = *Parsed;
}
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Finding, CheckId, Level, Where, End, Origin, Message, Notes, Fixes, TracedFunction,
                                   TracedFunctionLocation, Entity)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FileFailure, File, Reason)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SummaryWrite, Where, Entity, Shown, How)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FunctionSummary, Name, Writes, Callees)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OpenCall, CheckId, CalleeUsr, CalleeName, TracedFunction, TracedFunctionLocation,
                                   Message, Notes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FileSummaries, Functions, OpenCalls, CaptureBegins, CaptureEnds, ExternalCallees)

}  // namespace tracelint
