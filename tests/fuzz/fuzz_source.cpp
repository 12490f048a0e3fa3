// The analyzer on arbitrary source text as a translation unit: every check over whatever Clang makes
// of it, broken ASTs included. Any outcome is fine except a crash, a sanitizer report or a hang
// (libFuzzer's -timeout); a parse failure must come back as the file's failure reason.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/Driver.h"
#include "cli/FileAnalysis.h"
#include "core/Catalogue.h"
#include "core/Pack.h"

namespace {
struct Setup {
  tracelint::Pack ThePack;
  std::vector<std::string> Checks;
  tracelint::VirtualFiles Headers;
  Setup() {
    std::string Error;
    auto Cat = tracelint::Catalogue::load(TRACELINT_SOURCE_RULES_DIR "/catalogue.json", Error);
    std::optional<tracelint::Pack> P;
    if (Cat) P = tracelint::loadPack(TRACELINT_SOURCE_RULES_DIR "/packs/tl.json", *Cat, Error);
    if (!Cat || !P) {
      std::fprintf(stderr, "fuzz_source: %s\n", Error.c_str());
      std::abort();
    }
    ThePack = *P;
    Checks = tracelint::enabledChecks("trace-*", *Cat);
    std::ifstream In(TRACELINT_FUZZ_STUB_PATH);
    std::stringstream Stub;
    Stub << In.rdbuf();
    if (Stub.str().empty()) {
      std::fprintf(stderr, "fuzz_source: cannot read %s\n", TRACELINT_FUZZ_STUB_PATH);
      std::abort();
    }
    Headers.push_back({"/fuzz/include/tl/tl.h", Stub.str()});
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* Data, std::size_t Size) {
  static Setup S;
  std::string Code(reinterpret_cast<const char*>(Data), Size);
  auto R =
      tracelint::analyzeCode(Code, "/fuzz/input.cpp", {"-std=c++20", "-nostdinc", "-I/fuzz/include", "-ferror-limit=5"},
                             S.ThePack, S.Checks, S.Headers);
  // A file that did not parse must say so: a failure reason, never silence with no findings.
  if (R.ToolStatus != 0 && tracelint::failureReason(R).empty()) std::abort();
  return 0;
}
