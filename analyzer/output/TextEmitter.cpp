// clang-style diagnostics: file:line:col: severity: message [check], the source line, a caret.
#include <sstream>

#include "output/Columns.h"
#include "output/Emitters.h"

namespace tracelint {

namespace {
const char* colorOf(Severity S) {
  return S == Severity::Error ? "\033[1;31m" : S == Severity::Warning ? "\033[1;35m" : "\033[1;36m";
}

void emitOne(std::ostringstream& OS, const SourcePoint& P, const char* Sev, const char* SevColor,
             const std::string& Message, const std::string& Check, const SourceText& S, bool Color) {
  if (Color) OS << "\033[1m";
  OS << P.File << ":" << P.Line << ":" << P.Column << ": ";
  if (Color) OS << SevColor;
  OS << Sev << ": ";
  if (Color) OS << "\033[0m\033[1m";
  OS << Message;
  if (!Check.empty()) OS << " [" << Check << "]";
  if (Color) OS << "\033[0m";
  OS << "\n";
  const auto& L = S.line(P.File, P.Line);
  if (!L.empty()) {
    OS << L << "\n";
    OS << caretPadding(L, P.Line, P.Column) << (Color ? "\033[1;32m^\033[0m" : "^") << "\n";
  }
}
}  // namespace

std::string emitText(const RunResult& R, const Catalogue&, const SourceText& S, const EmitOptions& O) {
  std::ostringstream OS;
  for (const auto& F : R.Findings) {
    emitOne(OS, F.Where, severityName(F.Level), colorOf(F.Level), F.Message, F.CheckId, S, O.Color);
    for (const auto& N : F.Notes) emitOne(OS, N.Where, "note", colorOf(Severity::Note), N.Message, "", S, O.Color);
  }
  return OS.str();
}

}  // namespace tracelint
