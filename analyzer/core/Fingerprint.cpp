#include "core/Fingerprint.h"

#include <cstdint>
#include <cstdio>
#include <map>

namespace tracelint {

std::string normalizeStatement(const std::string& TextFromFinding) {
  std::string Out;
  bool PendingSpace = false;
  for (char C : TextFromFinding) {
    if (C == ';' || C == '{' || C == '}') break;
    if (C == ' ' || C == '\t' || C == '\r' || C == '\n' || C == '\v' || C == '\f') {
      PendingSpace = !Out.empty();
      continue;
    }
    if (PendingSpace) Out += ' ';
    PendingSpace = false;
    Out += C;
  }
  return Out;
}

std::string fingerprintBase(const Finding& F, const std::string& TextFromFinding) {
  // Field separators that cannot occur in identifiers keep "a|bc" and "ab|c" apart.
  std::string Key =
      F.CheckId + '\x1f' + F.TracedFunction + '\x1f' + F.Entity + '\x1f' + normalizeStatement(TextFromFinding);
  // FNV-1a 64: the same value on every platform and library version, unlike std::hash.
  std::uint64_t H = 1469598103934665603ull;
  for (unsigned char C : Key) {
    H ^= C;
    H *= 1099511628211ull;
  }
  char Buf[17];
  std::snprintf(Buf, sizeof Buf, "%016llx", static_cast<unsigned long long>(H));
  return Buf;
}

void assignFingerprints(std::vector<Finding>& Findings,
                        const std::function<std::string(const SourcePoint&)>& TextFrom) {
  std::map<std::pair<std::string, std::string>, unsigned> Seen;
  for (auto& F : Findings) {
    auto Base = fingerprintBase(F, TextFrom(F.Where));
    F.Fingerprint = Base + ":" + std::to_string(++Seen[{F.Where.File, Base}]);
  }
}

}  // namespace tracelint
