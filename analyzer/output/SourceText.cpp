#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "output/Columns.h"
#include "output/Emitters.h"

namespace tracelint {

void SourceText::add(const std::string& File, const std::string& Text) {
  auto& V = Lines[File];
  V.clear();
  std::istringstream In(Text);
  std::string L;
  while (std::getline(In, L)) V.push_back(L);
}

const std::string& SourceText::line(const std::string& File, unsigned Line) const {
  static const std::string Empty;
  auto It = Lines.find(File);
  if (It == Lines.end() || Line == 0 || Line > It->second.size()) return Empty;
  return It->second[Line - 1];
}

std::string SourceText::textFrom(const SourcePoint& P, unsigned MaxLines) const {
  const auto& First = line(P.File, P.Line);
  std::string Out = P.Column == 0 || P.Column - 1 >= First.size() ? "" : First.substr(P.Column - 1);
  for (unsigned L = P.Line + 1; L < P.Line + MaxLines; ++L) Out += "\n" + line(P.File, L);
  return Out;
}

SourcePoint wordEnd(const SourcePoint& P, const SourceText& S) {
  SourcePoint E = P;
  E.Column = wordEndColumn(S.line(P.File, P.Line), P.Column);
  return E;
}

SourcePoint findingEnd(const Finding& F, const SourceText& S) { return F.End.Line != 0 ? F.End : wordEnd(F.Where, S); }

unsigned fileOffset(const SourcePoint& P, const SourceText& S) {
  std::size_t Offset = 0;
  for (unsigned L = 1; L < P.Line; ++L) Offset += S.line(P.File, L).size() + 1;
  return static_cast<unsigned>(Offset + (P.Column == 0 ? 0 : P.Column - 1));
}

std::string fileUri(const std::string& Path) {
  std::error_code EC;
  return "file://" + percentEncodePath(std::filesystem::absolute(Path, EC).lexically_normal().string());
}

std::string resolveDocsBase(const std::string& Flag, const std::string& RulesDir) {
  std::string Base = Flag;
  if (Base.empty())
    if (const char* Env = std::getenv("TRACELINT_DOCS_URL")) Base = Env;
  if (Base.empty()) {
    std::error_code EC;
    auto Docs = std::filesystem::weakly_canonical(std::filesystem::path(RulesDir) / ".." / "docs", EC);
    Base = fileUri(EC ? RulesDir + "/../docs" : Docs.string());
  }
  while (Base.size() > 1 && Base.back() == '/') Base.pop_back();
  return Base;
}

std::string ruleHelpUri(const std::string& DocsBase, const std::string& Id) {
  return DocsBase + "/rules/" + Id + ".md";
}

std::string percentEncodePath(const std::string& Path) {
  static const char Hex[] = "0123456789ABCDEF";
  std::string Out;
  for (unsigned char C : Path) {
    bool Unreserved = (C >= 'A' && C <= 'Z') || (C >= 'a' && C <= 'z') || (C >= '0' && C <= '9') || C == '-' ||
                      C == '.' || C == '_' || C == '~' || C == '/';
    if (Unreserved) {
      Out += static_cast<char>(C);
    } else {
      Out += '%';
      Out += Hex[C >> 4];
      Out += Hex[C & 0xF];
    }
  }
  return Out;
}

}  // namespace tracelint
