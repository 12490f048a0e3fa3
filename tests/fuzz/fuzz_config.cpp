// libFuzzer: configuration and API-pack parsing never crash; malformed input is an error message.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/Config.h"
#include "core/Pack.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* Data, std::size_t Size) {
  std::string Text(reinterpret_cast<const char*>(Data), Size);
  std::string Error;
  auto C = tracelint::parseConfigText(Text, "fuzz.json", Error);
  if (!C && Error.empty()) __builtin_trap();  // a rejection must say why
  char Path[] = "/tmp/tracelint-fuzz-pack-XXXXXX";
  int Fd = mkstemp(Path);
  if (Fd < 0) return 0;
  if (write(Fd, Data, Size) != static_cast<ssize_t>(Size)) {
    close(Fd);
    unlink(Path);
    return 0;
  }
  close(Fd);
  Error.clear();
  auto P = tracelint::loadPack(Path, Error);
  if (!P && Error.empty()) __builtin_trap();
  unlink(Path);
  return 0;
}
