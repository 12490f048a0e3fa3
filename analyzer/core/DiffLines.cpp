#include "core/DiffLines.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <sstream>

namespace tracelint {

namespace {

// git quotes a path holding special bytes as a C string: "b/caf\303\251.cpp".
std::string unquoteGitPath(const std::string& S) {
  if (S.size() < 2 || S.front() != '"' || S.back() != '"') return S;
  std::string Out;
  for (std::size_t I = 1; I + 1 < S.size(); ++I) {
    if (S[I] != '\\' || I + 2 >= S.size()) {
      Out += S[I];
      continue;
    }
    char C = S[++I];
    if (C >= '0' && C <= '7' && I + 2 < S.size()) {
      Out += static_cast<char>(((C - '0') << 6) | ((S[I + 1] - '0') << 3) | (S[I + 2] - '0'));
      I += 2;
    } else {
      Out += C == 'n' ? '\n' : C == 't' ? '\t' : C;
    }
  }
  return Out;
}

bool readNumber(const std::string& S, std::size_t& I, unsigned& Out) {
  auto [End, Err] = std::from_chars(S.data() + I, S.data() + S.size(), Out);
  if (Err != std::errc() || End == S.data() + I) return false;
  I = static_cast<std::size_t>(End - S.data());
  return true;
}

}  // namespace

std::optional<std::vector<ChangedFile>> parseUnifiedDiff(const std::string& Text, std::string& Error) {
  std::vector<ChangedFile> Files;
  bool InFile = false;  // after a "+++" naming a file of the new side
  bool SawFileHeader = false;
  // Inside a hunk, lines are read by the header's counts, never by their look: an added line whose
  // text begins "++ " is "+++ ..." in the diff, and a removed "-- x" is "--- x".
  unsigned OldLeft = 0, NewLeft = 0;
  std::istringstream In(Text);
  std::string Line;
  unsigned Number = 0;
  auto Fail = [&](const std::string& What) {
    Error = "line " + std::to_string(Number) + ": " + What;
    return std::nullopt;
  };
  while (std::getline(In, Line)) {
    ++Number;
    if (OldLeft + NewLeft > 0) {
      char Kind = Line.empty() ? ' ' : Line[0];  // some tools drop the space of an empty context line
      if (Kind == '\\') continue;                // "\ No newline at end of file"
      if (Kind == '-' && OldLeft > 0) {
        --OldLeft;
      } else if (Kind == '+' && NewLeft > 0) {
        --NewLeft;
      } else if (Kind == ' ' && OldLeft > 0 && NewLeft > 0) {
        --OldLeft;
        --NewLeft;
      } else {
        return Fail("the hunk ends early: '" + Line + "' where " + std::to_string(OldLeft) + " old and " +
                    std::to_string(NewLeft) + " new lines remain");
      }
      continue;
    }
    if (Line.rfind("+++ ", 0) == 0) {
      auto Path = Line.substr(4);
      auto Tab = Path.find('\t');
      if (Tab != std::string::npos) Path.resize(Tab);
      Path = unquoteGitPath(Path);
      SawFileHeader = true;
      InFile = Path != "/dev/null";
      if (!InFile) continue;
      if (Path.rfind("b/", 0) == 0) Path = Path.substr(2);
      Files.push_back({Path, {}});
      continue;
    }
    if (Line.rfind("diff --git ", 0) == 0) InFile = false;
    if (Line.rfind("@@ ", 0) != 0) continue;
    // @@ -a[,b] +c[,d] @@: b lines from line a of the old side, d from line c of the new side
    // (a count defaults to 1).
    auto Minus = Line.find(" -");
    auto Plus = Line.find(" +");
    std::size_t I = Minus == std::string::npos ? 0 : Minus + 2;
    unsigned OldStart = 0, OldCount = 1, Start = 0, Count = 1;
    bool Ok = Minus != std::string::npos && readNumber(Line, I, OldStart);
    if (Ok && I < Line.size() && Line[I] == ',') Ok = readNumber(Line, ++I, OldCount);
    I = Plus == std::string::npos ? 0 : Plus + 2;
    Ok = Ok && Plus != std::string::npos && readNumber(Line, I, Start);
    if (Ok && I < Line.size() && Line[I] == ',') Ok = readNumber(Line, ++I, Count);
    if (!Ok) return Fail("cannot read the hunk header '" + Line + "'");
    if (!SawFileHeader) return Fail("a hunk before any '+++' file header");
    OldLeft = OldCount;
    NewLeft = Count;
    if (!InFile) continue;  // a deleted file's hunk
    if (Count > 0) Files.back().Lines.emplace_back(Start, Start + Count - 1);
  }
  if (OldLeft + NewLeft > 0)
    return Fail("the diff ends inside a hunk (" + std::to_string(OldLeft) + " old and " + std::to_string(NewLeft) +
                " new lines missing)");
  std::erase_if(Files, [](const ChangedFile& F) { return F.Lines.empty(); });
  return Files;
}

std::string lineFilterJson(const std::vector<ChangedFile>& Files, const std::string& Root) {
  nlohmann::json J = nlohmann::json::array();
  for (const auto& F : Files) {
    nlohmann::json Lines = nlohmann::json::array();
    for (auto [A, B] : F.Lines) Lines.push_back({A, B});
    J.push_back({{"name", Root + "/" + F.Path}, {"lines", Lines}});
  }
  return J.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace tracelint
