#include "output/Columns.h"

#include <cctype>

namespace tracelint {

unsigned byteOrderMarkBytes(const std::string& Line, unsigned LineNumber) {
  return LineNumber == 1 && Line.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
}

unsigned utf16UnitsBefore(const std::string& Line, unsigned LineNumber, unsigned ByteColumn1) {
  std::size_t End = ByteColumn1 == 0 ? 0 : std::min<std::size_t>(ByteColumn1 - 1, Line.size());
  unsigned Units = 0;
  std::size_t I = std::min<std::size_t>(byteOrderMarkBytes(Line, LineNumber), End);
  while (I < End) {
    auto C = static_cast<unsigned char>(Line[I]);
    std::size_t Len = C < 0x80 ? 1 : (C >> 5) == 0x6 ? 2 : (C >> 4) == 0xE ? 3 : (C >> 3) == 0x1E ? 4 : 1;
    bool Valid = I + Len <= Line.size();
    for (std::size_t K = 1; Valid && K < Len; ++K) Valid = (static_cast<unsigned char>(Line[I + K]) >> 6) == 0x2;
    if (!Valid) Len = 1;
    Units += Len == 4 ? 2 : 1;  // astral code points are surrogate pairs in UTF-16
    I += Len;
  }
  // A column past the line's end (e.g. end of file) keeps counting bytes.
  if (ByteColumn1 > 0 && ByteColumn1 - 1 > Line.size()) Units += static_cast<unsigned>(ByteColumn1 - 1 - Line.size());
  return Units;
}

unsigned wordEndColumn(const std::string& Line, unsigned ByteColumn1) {
  std::size_t I = ByteColumn1 == 0 ? 0 : ByteColumn1 - 1;
  if (I >= Line.size()) return ByteColumn1 + 1;
  auto Word = [](unsigned char C) { return std::isalnum(C) || C == '_' || C >= 0x80; };
  std::size_t E = I;
  while (E < Line.size() && Word(static_cast<unsigned char>(Line[E]))) ++E;
  if (E == I) {
    E = I + 1;  // one character, with its UTF-8 continuation bytes
    while (E < Line.size() && (static_cast<unsigned char>(Line[E]) & 0xC0) == 0x80) ++E;
  }
  return static_cast<unsigned>(E + 1);
}

std::string caretPadding(const std::string& Line, unsigned LineNumber, unsigned ByteColumn1) {
  std::string Pad;
  for (unsigned I = byteOrderMarkBytes(Line, LineNumber); I + 1 < ByteColumn1 && I < Line.size(); ++I) {
    if ((static_cast<unsigned char>(Line[I]) & 0xC0) == 0x80) continue;
    Pad += Line[I] == '\t' ? '\t' : ' ';
  }
  return Pad;
}

}  // namespace tracelint
