#include "core/Finding.h"

namespace tracelint {

const char* severityName(Severity S) {
  switch (S) {
    case Severity::Note:
      return "note";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "warning";
}

std::optional<Severity> parseSeverity(std::string_view Name) {
  for (Severity S : {Severity::Note, Severity::Warning, Severity::Error})
    if (Name == severityName(S)) return S;
  return std::nullopt;
}

}  // namespace tracelint
