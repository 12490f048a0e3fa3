#pragma once
// JSON-RPC over a byte stream with the Language Server Protocol's framing: header lines
// ("Content-Length: N"), an empty line, then N bytes of JSON.
#include <string>

namespace tracelint {

class LspTransport {
 public:
  LspTransport(int InFd, int OutFd) : InFd(InFd), OutFd(OutFd) {}

  enum class ReadStatus { Message, EndOfInput, Broken };
  // Reads the next message's body. EndOfInput: the stream ended between messages. Broken: the
  // framing is wrong (no Content-Length, a length over kMaxBody, the stream ended inside a
  // message); Error says how. After Broken the stream cannot be re-synchronized.
  ReadStatus read(std::string& Body, std::string& Error);
  // Writes one message; false when the output is gone.
  bool write(const std::string& Body);

  static constexpr std::size_t kMaxBody = 64u << 20;
  static constexpr std::size_t kMaxHeaderLine = 8192;

 private:
  bool fill();  // reads more input into Buffer; false at end of input or on error
  int InFd, OutFd;
  std::string Buffer;
  std::size_t Pos = 0;
};

}  // namespace tracelint
