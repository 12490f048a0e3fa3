#pragma once
// The text of the documents an editor has open, as the editor holds it: the server analyzes and
// offers fixes against this text, never against the file on disk, which may be older. Edits follow
// textDocument/didChange in both of the protocol's forms (the whole text, or ranges in UTF-16 code
// units); every text carries the version the client gave it.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace tracelint {

struct OpenDocument {
  std::string Text;
  std::int64_t Version = 0;
};

// The byte offset in Text of an LSP position (0-based line, UTF-16 code units into the line); a
// character past the line's end is its end, as the protocol says. nullopt for a line past the end.
std::optional<std::size_t> byteOffsetOf(const std::string& Text, unsigned Line, unsigned Character);

// Applies one TextDocumentContentChangeEvent ({text} or {range, text}) to Text; false and Error
// when it is malformed or its range lies outside the text.
bool applyContentChange(std::string& Text, const nlohmann::json& Change, std::string& Error);

}  // namespace tracelint
