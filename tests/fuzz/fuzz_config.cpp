// libFuzzer: configuration and API-pack parsing never crash; malformed input is an error message.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/Config.h"
#include "core/Pack.h"

static const tracelint::Catalogue& shippedCatalogue() {
  static const tracelint::Catalogue Cat = [] {
    std::string Error;
    auto C = tracelint::Catalogue::load(TRACELINT_SOURCE_RULES_DIR "/catalogue.json", Error);
    if (!C) {
      std::fprintf(stderr, "fuzz_config: %s\n", Error.c_str());
      std::abort();
    }
    return *C;
  }();
  return Cat;
}

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
  auto P = tracelint::loadPack(Path, shippedCatalogue(), Error);
  if (!P && Error.empty()) __builtin_trap();
  unlink(Path);
  return 0;
}
