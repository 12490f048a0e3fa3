#include "core/Fingerprint.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <tuple>

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

namespace {

// FNV-1a 64 as 16 hex digits: the same value on every platform and library version, unlike std::hash.
std::string hashHex(const std::string& Key) {
  std::uint64_t H = 1469598103934665603ull;
  for (unsigned char C : Key) {
    H ^= C;
    H *= 1099511628211ull;
  }
  char Buf[17];
  std::snprintf(Buf, sizeof Buf, "%016llx", static_cast<unsigned long long>(H));
  return Buf;
}

// How far the context looks for a non-blank line: past it, the neighbour counts as missing.
constexpr unsigned kContextReach = 20;

}  // namespace

std::string fingerprintBase(const Finding& F, const std::string& TextFromFinding) {
  // Field separators that cannot occur in identifiers keep "a|bc" and "ab|c" apart.
  return hashHex(F.CheckId + '\x1f' + F.TracedFunction + '\x1f' + F.Entity + '\x1f' +
                 normalizeStatement(TextFromFinding));
}

std::string contextHash(const Finding& F, const std::function<std::string(const std::string&, unsigned)>& LineOf) {
  // The whole neighbouring line, not up to its first ';': a neighbour "++a; ++b;" is not "++a;".
  auto Normalized = [](std::string Line) {
    std::replace(Line.begin(), Line.end(), ';', ' ');
    std::replace(Line.begin(), Line.end(), '{', ' ');
    std::replace(Line.begin(), Line.end(), '}', ' ');
    return normalizeStatement(Line);
  };
  std::string Above, Below;
  for (unsigned D = 1; D <= kContextReach && D < F.Where.Line && Above.empty(); ++D)
    Above = Normalized(LineOf(F.Where.File, F.Where.Line - D));
  for (unsigned D = 1; D <= kContextReach && Below.empty(); ++D)
    Below = Normalized(LineOf(F.Where.File, F.Where.Line + D));
  return hashHex(Above) + "." + hashHex(Below);
}

void assignFingerprints(const std::vector<std::vector<Finding>*>& Lists, const FingerprintSource& Source) {
  std::vector<Finding*> All;
  for (auto* L : Lists)
    for (auto& F : *L) All.push_back(&F);
  std::stable_sort(All.begin(), All.end(), [](const Finding* A, const Finding* B) {
    return std::tie(A->Where.File, A->Where.Line, A->Where.Column) <
           std::tie(B->Where.File, B->Where.Line, B->Where.Column);
  });
  std::map<std::pair<std::string, std::string>, unsigned> Seen;
  for (auto* F : All) {
    auto Base = fingerprintBase(*F, Source.TextFrom(F->Where));
    F->Fingerprint = Base + ":" + std::to_string(++Seen[{F->Where.File, Base}]);
    F->Context = contextHash(*F, Source.LineOf);
  }
}

}  // namespace tracelint
