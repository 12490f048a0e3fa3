// The runtime's symbolizer plugin: a code address in a module to "file:line" through LLVM's DWARF
// reader. A library of its own, loaded by the runtime with dlopen when a hazard first needs a line,
// so that programs using tl do not load LLVM otherwise. The one entry point has C linkage.
#include <llvm/DebugInfo/Symbolize/Symbolize.h>

#include <cstdint>
#include <cstdio>
#include <mutex>

namespace {
llvm::symbolize::LLVMSymbolizer& symbolizer() {
  static auto* s = [] {
    llvm::symbolize::LLVMSymbolizer::Options options;
    options.Demangle = true;
    options.RelativeAddresses = false;  // offsets are the module's virtual addresses
    return new llvm::symbolize::LLVMSymbolizer(options);
  }();
  return *s;
}
}  // namespace

// Writes "file:line" of the innermost (inlined) frame at `offset` in `module` into `out`; returns its
// length, or 0 when the module has no line information there.
extern "C" __attribute__((visibility("default"))) int tl_symbolize_code(const char* module, std::uint64_t offset,
                                                                      char* out, int size) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto frames = symbolizer().symbolizeInlinedCode(
      module, {offset, llvm::object::SectionedAddress::UndefSection});
  if (!frames) {
    llvm::consumeError(frames.takeError());
    return 0;
  }
  if (frames->getNumberOfFrames() == 0) return 0;
  // The innermost frame that is not a system header: a write inlined from <vector> is named at the
  // user's statement that called push_back.
  std::uint32_t chosen = 0;
  for (std::uint32_t i = 0; i < frames->getNumberOfFrames(); ++i) {
    const auto& name = frames->getFrame(i).FileName;
    if (name.rfind("/usr/include/", 0) != 0 && name.rfind("/usr/lib/", 0) != 0) {
      chosen = i;
      break;
    }
  }
  const auto& frame = frames->getFrame(chosen);
  if (frame.FileName == llvm::DILineInfo::BadString || frame.Line == 0) return 0;
  int n = std::snprintf(out, static_cast<std::size_t>(size), "%s:%u", frame.FileName.c_str(), frame.Line);
  return n > 0 && n < size ? n : 0;
}
