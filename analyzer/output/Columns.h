#pragma once
// The one place where column conventions meet. Findings carry clang's convention (1-based byte
// columns); LSP wants 0-based UTF-16 code units, SARIF 1-based UTF-16 code units (its default
// columnKind).
#include <string>

namespace tracelint {

// UTF-16 code units before the byte offset ByteColumn1 - 1 in Line. Malformed UTF-8 counts one unit
// per byte, so a bad line never throws or overruns.
unsigned utf16UnitsBefore(const std::string &Line, unsigned ByteColumn1);

inline unsigned lspCharacter(const std::string &Line, unsigned ByteColumn1) { return utf16UnitsBefore(Line, ByteColumn1); }
inline unsigned sarifColumn(const std::string &Line, unsigned ByteColumn1) { return utf16UnitsBefore(Line, ByteColumn1) + 1; }

}  // namespace tracelint
