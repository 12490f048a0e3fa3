// The runtime's symbolizer plugin: a code address in a module to "file:line" through LLVM's DWARF
// reader. A library of its own, loaded by the runtime with dlopen when a hazard first needs a line,
// so that programs using tl do not load LLVM otherwise. The entry points have C linkage.
#include <llvm/ADT/SmallString.h>
#include <llvm/DebugInfo/Symbolize/Symbolize.h>
#include <llvm/Support/Path.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>

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

// Without "..": a build whose compiler saw relative paths (ccache's base_dir rewrites them) records
// "<build>/../runtime/include/tl/x.h", which must still match the runtime's source prefix.
std::string normalized(const std::string& file) {
  llvm::SmallString<256> path(file);
  llvm::sys::path::remove_dots(path, true);
  return std::string(path.str());
}

bool under_any(const std::string& raw, const char* prefixes) {
  std::string file = normalized(raw);
  if (file.rfind("/usr/", 0) == 0) return true;  // the system's headers and libraries
  for (const char* p = prefixes; p && *p;) {
    const char* end = std::strchr(p, ':');
    std::size_t n = end ? static_cast<std::size_t>(end - p) : std::strlen(p);
    if (n > 0 && file.compare(0, n, p, n) == 0) return true;
    p = end ? end + 1 : nullptr;
  }
  return false;
}

// Writes "file:line" of the chosen inlined frame at `offset` in `module` among those whose file is not
// a library's (under /usr/ or one of the ':'-separated `library_prefixes`): the innermost, so that a
// store inlined from <vector> is named at the user's statement that called push_back; or the
// outermost, the user function the others were inlined into. When every frame is a library's,
// writes the innermost one and sets *in_library. Returns the length, or 0 without line information.
int symbolize(const char* module, std::uint64_t offset, const char* library_prefixes, int* in_library, char* out,
              int size, bool outermost) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  *in_library = 0;
  auto frames = symbolizer().symbolizeInlinedCode(module, {offset, llvm::object::SectionedAddress::UndefSection});
  if (!frames) {
    llvm::consumeError(frames.takeError());
    return 0;
  }
  std::uint32_t count = frames->getNumberOfFrames();
  if (count == 0) return 0;
  std::uint32_t chosen = count;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (under_any(frames->getFrame(i).FileName, library_prefixes)) continue;
    chosen = i;
    if (!outermost) break;
  }
  if (chosen == count) {
    *in_library = 1;
    chosen = 0;
  }
  const auto& frame = frames->getFrame(chosen);
  if (frame.FileName == llvm::DILineInfo::BadString || frame.Line == 0) return 0;
  int n = std::snprintf(out, static_cast<std::size_t>(size), "%s:%u", normalized(frame.FileName).c_str(), frame.Line);
  return n > 0 && n < size ? n : 0;
}
}  // namespace

extern "C" __attribute__((visibility("default"))) int tl_symbolize_code(const char* module, std::uint64_t offset,
                                                                        const char* library_prefixes, int* in_library,
                                                                        char* out, int size) {
  return symbolize(module, offset, library_prefixes, in_library, out, size, false);
}

extern "C" __attribute__((visibility("default"))) int tl_symbolize_code_outermost(
    const char* module, std::uint64_t offset, const char* library_prefixes, int* in_library, char* out, int size) {
  return symbolize(module, offset, library_prefixes, in_library, out, size, true);
}
