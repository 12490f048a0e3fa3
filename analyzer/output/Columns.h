#pragma once
// The one place where column conventions meet. Findings carry clang's convention (1-based byte
// columns, which count a UTF-8 byte order mark opening the file); LSP wants 0-based UTF-16 code
// units, SARIF 1-based UTF-16 code units (its default columnKind), a terminal one cell per
// character. Editors do not count the byte order mark, so none of the converted columns do.
#include <string>

namespace tracelint {

// Bytes of the UTF-8 byte order mark at the start of Line when it is line 1 of its file, else 0.
unsigned byteOrderMarkBytes(const std::string& Line, unsigned LineNumber);

// UTF-16 code units before the byte offset ByteColumn1 - 1 in Line (line LineNumber of its file),
// not counting a byte order mark. Malformed UTF-8 counts one unit per byte, so a bad line never
// throws or overruns.
unsigned utf16UnitsBefore(const std::string& Line, unsigned LineNumber, unsigned ByteColumn1);

inline unsigned lspCharacter(const std::string& Line, unsigned LineNumber, unsigned ByteColumn1) {
  return utf16UnitsBefore(Line, LineNumber, ByteColumn1);
}
inline unsigned sarifColumn(const std::string& Line, unsigned LineNumber, unsigned ByteColumn1) {
  return utf16UnitsBefore(Line, LineNumber, ByteColumn1) + 1;
}

// The byte column just past the word (identifier or number) starting at ByteColumn1 in Line, or
// past the one character there: the range to underline when a finding carries no end.
unsigned wordEndColumn(const std::string& Line, unsigned ByteColumn1);

// The whitespace that puts a caret under byte column ByteColumn1 of Line in a terminal: tabs are
// kept, a UTF-8 sequence takes one cell, a byte order mark none.
std::string caretPadding(const std::string& Line, unsigned LineNumber, unsigned ByteColumn1);

}  // namespace tracelint
