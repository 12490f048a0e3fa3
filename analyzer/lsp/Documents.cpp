#include "lsp/Documents.h"

namespace tracelint {

std::optional<std::size_t> byteOffsetOf(const std::string& Text, unsigned Line, unsigned Character) {
  std::size_t Start = 0;
  for (unsigned L = 0; L < Line; ++L) {
    auto NewLine = Text.find('\n', Start);
    if (NewLine == std::string::npos) return std::nullopt;
    Start = NewLine + 1;
  }
  auto End = Text.find('\n', Start);
  if (End == std::string::npos) End = Text.size();
  if (End > Start && Text[End - 1] == '\r') --End;
  std::size_t I = Start;
  unsigned Units = 0;
  while (I < End && Units < Character) {
    auto C = static_cast<unsigned char>(Text[I]);
    std::size_t Len = C < 0x80 ? 1 : (C >> 5) == 0x6 ? 2 : (C >> 4) == 0xE ? 3 : (C >> 3) == 0x1E ? 4 : 1;
    bool Valid = I + Len <= End;
    for (std::size_t K = 1; Valid && K < Len; ++K) Valid = (static_cast<unsigned char>(Text[I + K]) >> 6) == 0x2;
    if (!Valid) Len = 1;
    Units += Len == 4 ? 2 : 1;  // astral code points are surrogate pairs in UTF-16
    I += Len;
  }
  return I;
}

bool applyContentChange(std::string& Text, const nlohmann::json& Change, std::string& Error) {
  if (!Change.is_object() || !Change.contains("text") || !Change["text"].is_string()) {
    Error = "a content change without a string 'text'";
    return false;
  }
  const auto& NewText = Change["text"].get_ref<const std::string&>();
  if (!Change.contains("range")) {
    Text = NewText;
    return true;
  }
  auto Point = [&](const char* Key) -> std::optional<std::size_t> {
    const auto& R = Change["range"];
    if (!R.is_object() || !R.contains(Key) || !R[Key].is_object()) return std::nullopt;
    const auto& P = R[Key];
    if (!P.contains("line") || !P["line"].is_number_unsigned() || !P.contains("character") ||
        !P["character"].is_number_unsigned())
      return std::nullopt;
    auto Line = P["line"].get<std::uint64_t>(), Character = P["character"].get<std::uint64_t>();
    if (Line > UINT32_MAX || Character > UINT32_MAX) return std::nullopt;
    return byteOffsetOf(Text, static_cast<unsigned>(Line), static_cast<unsigned>(Character));
  };
  auto Begin = Point("start"), End = Point("end");
  if (!Begin || !End || *End < *Begin) {
    Error = "a content change whose range is malformed or lies outside the document";
    return false;
  }
  Text.replace(*Begin, *End - *Begin, NewText);
  return true;
}

}  // namespace tracelint
