#include "core/Nolint.h"

#include <sstream>

#include "core/Glob.h"

namespace tracelint {

namespace {
// Parses "NOLINT<kind>(globs)" starting at Pos; returns the glob text ("" = all checks).
std::string globsAfter(const std::string& Line, std::size_t Pos) {
  if (Pos < Line.size() && Line[Pos] == '(') {
    auto Close = Line.find(')', Pos);
    if (Close != std::string::npos) return Line.substr(Pos + 1, Close - Pos - 1);
  }
  return "";
}

bool isMarker(const std::string& Line, std::size_t At, const std::string& Word) {
  if (Line.compare(At, Word.size(), Word) != 0) return false;
  auto After = At + Word.size();
  return After >= Line.size() || !(std::isalnum(static_cast<unsigned char>(Line[After])) || Line[After] == '_');
}
}  // namespace

NolintIndex::NolintIndex(const std::string& FileText) {
  std::istringstream In(FileText);
  std::string Line;
  unsigned N = 0;
  std::vector<std::pair<unsigned, std::string>> Open;
  while (std::getline(In, Line)) {
    ++N;
    for (std::size_t At = Line.find("NOLINT"); At != std::string::npos; At = Line.find("NOLINT", At + 6)) {
      if (isMarker(Line, At, "NOLINTNEXTLINE")) {
        Ranges.push_back({N + 1, N + 1, globsAfter(Line, At + 14)});
      } else if (isMarker(Line, At, "NOLINTBEGIN")) {
        Open.emplace_back(N, globsAfter(Line, At + 11));
      } else if (isMarker(Line, At, "NOLINTEND")) {
        auto Globs = globsAfter(Line, At + 9);
        bool Matched = false;
        for (auto It = Open.rbegin(); It != Open.rend(); ++It) {
          if (It->second == Globs) {
            Ranges.push_back({It->first, N, Globs});
            Open.erase(std::next(It).base());
            Matched = true;
            break;
          }
        }
        if (!Matched) Errors.push_back({N, "NOLINTEND without a matching NOLINTBEGIN"});
      } else if (isMarker(Line, At, "NOLINT")) {
        Ranges.push_back({N, N, globsAfter(Line, At + 6)});
      }
    }
  }
  for (const auto& [L, G] : Open) Errors.push_back({L, "NOLINTBEGIN without a matching NOLINTEND"});
}

bool NolintIndex::suppresses(unsigned Line, const std::string& CheckId) const {
  for (const auto& R : Ranges) {
    if (Line < R.First || Line > R.Last) continue;
    if (R.Globs.empty() || GlobList(R.Globs).contains(CheckId)) return true;
  }
  return false;
}

}  // namespace tracelint
