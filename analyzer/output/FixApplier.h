#pragma once
// --fix: the fixes of a run, checked and applied so that no file is ever left corrupted.
//
// A finding's fixes are one unit: applied together or not at all. Before anything is written:
//  - a file whose replaced bytes are not what the analyzer saw (it changed on disk since) gets no
//    fix: offsets would point elsewhere;
//  - two units whose replacements overlap (or insert different text at one offset) conflict: both
//    are dropped and the conflict is reported, naming both findings; identical replacements from
//    several findings (one macro, two checks) are applied once;
//  - a replacement outside its file is dropped and reported.
// Then every changed file is written to a temporary file beside it, and only when all of them were
// written are they renamed over the originals (rename is atomic on one file system): either every
// file gets its fixes or, on a write error, none does.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/Finding.h"

namespace tracelint {

struct FixPlan {
  struct FileEdit {
    std::string File;
    std::string NewText;
    unsigned Units = 0;  // findings whose fixes are in it
  };
  std::vector<FileEdit> Edits;
  std::vector<std::string> Problems;  // each names the file and the findings not fixed, and why
};

// CurrentText: a file's text now (nullopt when it cannot be read). Pure: nothing is written.
FixPlan planFixes(const std::vector<Finding>& Findings,
                  const std::function<std::optional<std::string>(const std::string&)>& CurrentText);

// Writes the plan's edits as described above. Returns false and sets Error when nothing was changed
// because some file could not be written.
bool applyFixPlan(const FixPlan& Plan, std::string& Error);

}  // namespace tracelint
