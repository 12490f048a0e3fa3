// Column conversion (output/Columns): UTF-16 units for LSP and SARIF, terminal cells for carets,
// and a UTF-8 byte order mark that only line 1 can have and no converted column counts.
#include "output/Columns.h"

#include <gtest/gtest.h>

namespace tracelint {
namespace {

const std::string kBom = "\xEF\xBB\xBF";

TEST(Columns, NonAsciiCountsUtf16Units) {
  std::string Line = "s = \"\xC3\xA9\xF0\x9F\x98\x80\"; g = 1;";  // é (2 bytes, 1 unit), 😀 (4 bytes, 2 units)
  unsigned Byte1 = static_cast<unsigned>(Line.find("g = 1")) + 1;
  EXPECT_EQ(lspCharacter(Line, 3, Byte1), Byte1 - 1 - 1 - 2);
  EXPECT_EQ(sarifColumn(Line, 3, Byte1), Byte1 - 1 - 2);
  EXPECT_EQ(caretPadding(Line, 3, Byte1).size(), Byte1 - 1 - 1 - 3);
}

TEST(Columns, ByteOrderMarkOnLineOneIsNotAColumn) {
  std::string Line = kBom + "int g = 0;";
  unsigned Byte1 = static_cast<unsigned>(Line.find("g = 0")) + 1;  // clang's column counts the BOM
  EXPECT_EQ(lspCharacter(Line, 1, Byte1), 4u);
  EXPECT_EQ(sarifColumn(Line, 1, Byte1), 5u);
  EXPECT_EQ(caretPadding(Line, 1, Byte1), "    ");
  EXPECT_EQ(lspCharacter(Line, 1, 1), 0u);
  // Elsewhere U+FEFF is a character (a zero-width no-break space) and counts one unit.
  EXPECT_EQ(lspCharacter(Line, 2, Byte1), 5u);
}

TEST(Columns, ByteOrderMarkAndNonAsciiTogether) {
  std::string Line = kBom + "a\xC3\xA9 g";
  unsigned Byte1 = static_cast<unsigned>(Line.find('g')) + 1;
  EXPECT_EQ(lspCharacter(Line, 1, Byte1), 3u);
  EXPECT_EQ(sarifColumn(Line, 1, Byte1), 4u);
}

TEST(Columns, MalformedAndOutOfRangeColumnsNeverOverrun) {
  std::string Line = "\xC3";
  EXPECT_EQ(lspCharacter(Line, 1, 2), 1u);
  EXPECT_EQ(lspCharacter(Line, 1, 10), 9u);              // past the end: one per byte
  EXPECT_EQ(lspCharacter(kBom.substr(0, 2), 1, 3), 2u);  // half a BOM is two bad bytes
  EXPECT_EQ(lspCharacter("", 1, 0), 0u);
}

}  // namespace
}  // namespace tracelint
