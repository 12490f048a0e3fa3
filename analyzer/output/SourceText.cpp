#include "output/Emitters.h"

#include <sstream>

namespace tracelint {

void SourceText::add(const std::string &File, const std::string &Text) {
  auto &V = Lines[File];
  V.clear();
  std::istringstream In(Text);
  std::string L;
  while (std::getline(In, L)) V.push_back(L);
}

const std::string &SourceText::line(const std::string &File, unsigned Line) const {
  static const std::string Empty;
  auto It = Lines.find(File);
  if (It == Lines.end() || Line == 0 || Line > It->second.size()) return Empty;
  return It->second[Line - 1];
}

std::string ruleHelpUri(const std::string &Id) {
  return "https://github.com/tracelint/tracelint/blob/main/docs/rules/" + Id + ".md";
}

std::string percentEncodePath(const std::string &Path) {
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
