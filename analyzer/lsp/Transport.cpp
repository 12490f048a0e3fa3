#include "lsp/Transport.h"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>

#include "output/OutputFile.h"

namespace tracelint {

bool LspTransport::fill() {
  if (Pos > 0) {
    Buffer.erase(0, Pos);
    Pos = 0;
  }
  char Chunk[65536];
  for (;;) {
    auto N = ::read(InFd, Chunk, sizeof Chunk);
    if (N > 0) {
      Buffer.append(Chunk, static_cast<std::size_t>(N));
      return true;
    }
    if (N < 0 && errno == EINTR) continue;
    return false;
  }
}

LspTransport::ReadStatus LspTransport::read(std::string& Body, std::string& Error) {
  std::size_t Length = 0;
  bool HaveLength = false, AnyHeader = false;
  for (;;) {
    auto End = Buffer.find('\n', Pos);
    if (End == std::string::npos) {
      if (Buffer.size() - Pos > kMaxHeaderLine) {
        Error = "a header line longer than " + std::to_string(kMaxHeaderLine) + " bytes";
        return ReadStatus::Broken;
      }
      if (!fill()) {
        if (!AnyHeader && Buffer.size() == Pos) return ReadStatus::EndOfInput;
        Error = "the input ended inside a message's header";
        return ReadStatus::Broken;
      }
      continue;
    }
    std::string Line = Buffer.substr(Pos, End - Pos);
    Pos = End + 1;
    if (!Line.empty() && Line.back() == '\r') Line.pop_back();
    if (Line.empty()) {
      if (!AnyHeader) continue;  // stray blank lines between messages
      break;
    }
    AnyHeader = true;
    auto Colon = Line.find(':');
    if (Colon == std::string::npos) {
      Error = "a header line without ':': '" + Line.substr(0, 80) + "'";
      return ReadStatus::Broken;
    }
    std::string Name = Line.substr(0, Colon);
    for (auto& C : Name) C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
    if (Name != "content-length") continue;  // Content-Type and others carry nothing we need
    auto Value = Line.substr(Colon + 1);
    auto First = Value.find_first_not_of(" \t");
    Value = First == std::string::npos ? "" : Value.substr(First);
    auto [P, Err] = std::from_chars(Value.data(), Value.data() + Value.size(), Length);
    if (Err != std::errc() || P != Value.data() + Value.size() || Value.empty()) {
      Error = "Content-Length is not a number: '" + Value.substr(0, 40) + "'";
      return ReadStatus::Broken;
    }
    HaveLength = true;
  }
  if (!HaveLength) {
    Error = "a message without a Content-Length header";
    return ReadStatus::Broken;
  }
  if (Length > kMaxBody) {
    Error = "a message of " + std::to_string(Length) + " bytes, over the limit of " + std::to_string(kMaxBody);
    return ReadStatus::Broken;
  }
  while (Buffer.size() - Pos < Length) {
    if (!fill()) {
      Error = "the input ended inside a message's body (" + std::to_string(Buffer.size() - Pos) + " of " +
              std::to_string(Length) + " bytes)";
      return ReadStatus::Broken;
    }
  }
  Body = Buffer.substr(Pos, Length);
  Pos += Length;
  return ReadStatus::Message;
}

bool LspTransport::write(const std::string& Body) {
  return writeAllToFd(OutFd, "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" + Body) == 0;
}

}  // namespace tracelint
