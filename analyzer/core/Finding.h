#pragma once
// The one internal finding type. Checks produce it, suppression and filters prune it, and every
// output format is a pure function of a list of it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tracelint {

// The one text form of a severity ("note", "warning", "error"): the catalogue, configuration,
// worker results, clang-style text and SARIF levels all use it.
enum class Severity { Note, Warning, Error };
const char* severityName(Severity S);
std::optional<Severity> parseSeverity(std::string_view Name);

// Lines are 1-based; Column is a 1-based byte offset into the line (clang's convention). Other
// conventions are derived in output/Columns.h, nowhere else.
struct SourcePoint {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
};

struct FindingNote {
  SourcePoint Where;
  std::string Message;
};

struct FixIt {
  SourcePoint Begin;
  unsigned FileOffset = 0;  // byte offset of Begin in its file
  unsigned Length = 0;      // bytes replaced
  std::string Replacement;
  std::string Original;  // the bytes replaced, as analyzed: --fix refuses a file where they changed
};

struct Finding {
  std::string CheckId;
  Severity Level = Severity::Warning;
  SourcePoint Where;
  // Where the range the finding covers ends (exclusive), in Where's file: the token or expression
  // the check reported, so editors underline it. Line 0 when the check gave none; emitters then
  // cover the word at Where.
  SourcePoint End;
  // Where the hazard itself is, when the finding is reported at another place (a hazard in a header
  // reported at the main file's call that reaches it): the line filter keeps the finding when it
  // keeps either place, and a NOLINT at either place suppresses it. File empty otherwise.
  SourcePoint Origin;
  std::string Message;
  std::vector<FindingNote> Notes;
  std::vector<FixIt> Fixes;
  // What the finding is about, for joining with runtime reports.
  std::string TracedFunction;
  std::string TracedFunctionLocation;  // file:line where the traced function is created
  std::string Entity;
  // Identifies the finding across edits elsewhere in its file (core/Fingerprint.h); set by the
  // driver once the run's findings are final, read by the baseline and every report format.
  std::string Fingerprint;
  // A hash of the lines around the finding's statement (core/Fingerprint.h). The baseline uses it
  // to tell identical statements apart, which the fingerprint's ordinal cannot do safely.
  std::string Context;
  // Set by `tracelint confirm`: whether the runtime observed the hazard, and what it saw.
  struct RuntimeVerdict {
    bool Confirmed = false;
    std::string Evidence;
  };
  std::optional<RuntimeVerdict> Runtime;
};

// A file the analyzer could not analyze (it did not parse, a check failed on it, it is missing).
struct FileFailure {
  std::string File;
  std::string Reason;
};

struct RunResult {
  std::vector<Finding> Findings;
  std::vector<FileFailure> Failures;
  std::vector<std::string> Errors;  // configuration problems found while analyzing, e.g. NOLINTBEGIN without END
  unsigned Suppressed = 0;
  // Findings the baseline (--baseline) holds: reported only in SARIF, as suppressed, so that code
  // scanning keeps them open instead of closing them as fixed.
  std::vector<Finding> Accepted;
  // Findings on lines the line filter (--line-filter, --diff) leaves out: never reported, but
  // numbered and counted with the others, so that a finding's fingerprint and the baseline's
  // verdict do not depend on which lines changed.
  std::vector<Finding> OutsideLineFilter;
  std::vector<std::string> FilesAnalyzed;
};

}  // namespace tracelint
