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
  std::istringstream In(Text);
  std::string Line;
  unsigned Number = 0;
  while (std::getline(In, Line)) {
    ++Number;
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
    // @@ -a[,b] +c[,d] @@: d lines from line c of the new side (d defaults to 1).
    auto Plus = Line.find(" +");
    std::size_t I = Plus == std::string::npos ? 0 : Plus + 2;
    unsigned Start = 0, Count = 1;
    bool Ok = Plus != std::string::npos && readNumber(Line, I, Start);
    if (Ok && I < Line.size() && Line[I] == ',') Ok = readNumber(Line, ++I, Count);
    if (!Ok) {
      Error = "line " + std::to_string(Number) + ": cannot read the hunk header '" + Line + "'";
      return std::nullopt;
    }
    if (!SawFileHeader) {
      Error = "line " + std::to_string(Number) + ": a hunk before any '+++' file header";
      return std::nullopt;
    }
    if (!InFile) continue;  // a deleted file's hunk
    if (Count > 0) Files.back().Lines.emplace_back(Start, Start + Count - 1);
  }
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
