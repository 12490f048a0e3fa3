// libFuzzer: the report parsers used by `tracelint confirm` (runtime JSON, tracelint JSON, SARIF)
// never crash, and joining whatever they accept never crashes either.
#include <unistd.h>

#include <cstdint>
#include <string>

#include "confirm/Confirm.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* Data, std::size_t Size) {
  char Path[] = "/tmp/tracelint-fuzz-report-XXXXXX";
  int Fd = mkstemp(Path);
  if (Fd < 0) return 0;
  bool Ok = write(Fd, Data, Size) == static_cast<ssize_t>(Size);
  close(Fd);
  if (Ok) {
    std::vector<tracelint::StaticItem> S;
    std::vector<tracelint::RuntimeItem> R;
    std::string Error;
    bool StaticOk = tracelint::loadStaticReport(Path, S, Error);
    bool RuntimeOk = tracelint::loadRuntimeReport(Path, R, Error);
    if ((!StaticOk || !RuntimeOk) && Error.empty()) __builtin_trap();
    auto J = tracelint::joinReports(S, R);
    (void)tracelint::confirmText(J);
    (void)tracelint::confirmJson(J);
  }
  unlink(Path);
  return 0;
}
