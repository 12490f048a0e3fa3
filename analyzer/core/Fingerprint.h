#pragma once
// The one fingerprint of a finding, shared by the baseline, SARIF's partialFingerprints and the
// JSON report. It must survive edits elsewhere in the file, so it is made of what the finding is
// about (rule, traced function, entity) and the text of its statement, never of line numbers or
// of the path (the baseline and code scanning key on the file themselves, and a fingerprint
// without the path does not change with the directory the tool runs from).
#include <functional>
#include <string>
#include <vector>

#include "core/Finding.h"

namespace tracelint {

// The statement text as fingerprinted, from the source text that starts at the finding: up to the
// first ';', '{' or '}' (the rest of the statement, or the head of a block), with surrounding
// whitespace dropped and every run of whitespace inside collapsed to one space, so re-indenting,
// re-aligning or re-flowing code over lines keeps the fingerprint, and so does other code on the
// same line.
std::string normalizeStatement(const std::string& TextFromFinding);

// "<16 hex digits>" from rule, traced function, entity and the normalized statement.
std::string fingerprintBase(const Finding& F, const std::string& TextFromFinding);

// "<16 hex digits>.<16 hex digits>": the nearest non-blank lines above and below the finding's
// line, each normalized as a statement is. Two identical statements differ in it unless their
// neighbours are identical too; one inserted next to another changes one half of the other's.
std::string contextHash(const Finding& F, const std::function<std::string(const std::string&, unsigned)>& LineOf);

// The source a run's findings are fingerprinted from: the text from a point on (a few lines are
// enough), and one line of a file ("" past its end).
struct FingerprintSource {
  std::function<std::string(const SourcePoint&)> TextFrom;
  std::function<std::string(const std::string&, unsigned)> LineOf;
};

// Sets every finding's Fingerprint to "<base>:<n>", n counting the findings of the same file with
// the same base by position (1 for the first), so that two identical statements stay two findings,
// and its Context. The lists are numbered together, in order of place: a finding's number does not
// depend on which list it is in (the reported findings and those a line filter left out).
void assignFingerprints(const std::vector<std::vector<Finding>*>& Lists, const FingerprintSource& Source);

}  // namespace tracelint
