#pragma once
// clang-tidy's --export-fixes YAML, which clang-apply-replacements reads. Written with Clang's own
// serialization (clang/Tooling/DiagnosticsYaml.h), so a replacement holding newlines, quotes or
// non-ASCII text reaches the file exactly as the check wrote it. It lives apart from the Clang-free
// emitters (output/Emitters.h) because it needs Clang's tooling library.
#include <string>

#include "core/Finding.h"
#include "output/Emitters.h"

namespace tracelint {

// The fixes of R's findings; BuildDirectory resolves relative paths. A finding whose fixes overlap
// one another is left out whole: half a fix can leave a file that does not compile.
std::string emitFixesYaml(const RunResult& R, const SourceText& S, const std::string& MainSourceFile,
                          const std::string& BuildDirectory);

}  // namespace tracelint
