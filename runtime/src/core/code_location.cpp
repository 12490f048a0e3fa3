#include "core/code_location.h"

#include <cxxabi.h>
#include <dlfcn.h>
#include <link.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

#include "tl/error.h"

namespace tl::detail {

namespace {

thread_local const void* t_operator_site = nullptr;

std::atomic<unsigned long long> g_runtime_loads{0};

int read_load_count(dl_phdr_info* info, size_t, void* data) {
  *static_cast<unsigned long long*>(data) = info->dlpi_adds;
  return 1;  // the first module carries the process-wide counter
}
unsigned long long load_count() {
  unsigned long long adds = 0;
  dl_iterate_phdr(read_load_count, &adds);
  return adds;
}

using symbolize_fn = int (*)(const char* module, std::uint64_t offset, const char* library_prefixes, int* in_library,
                             char* out, int size);

// tl's own sources and installed headers: library code, like the system's, for naming a statement.
constexpr const char* kLibraryPrefixes = TL_RUNTIME_SOURCE_DIR "/:" TL_RUNTIME_INSTALL_INCLUDE_DIR "/tl/";

struct symbolizer {
  symbolize_fn fn = nullptr;
  symbolize_fn outermost = nullptr;  // the outermost user frame among those inlined at an address
  std::string unavailable;           // why there is no plugin, for the degraded message
};

// The plugin sits next to the runtime's own library (build tree and install prefix alike);
// TL_SYMBOLIZER names another one, or "off".
const symbolizer& plugin() {
  static const symbolizer s = [] {
    symbolizer out;
    std::string path;
    if (const char* env = std::getenv("TL_SYMBOLIZER"); env && *env) {
      if (std::string(env) == "off") {
        out.unavailable = "TL_SYMBOLIZER=off";
        return out;
      }
      path = env;
    } else {
      Dl_info self{};
      if (!dladdr(reinterpret_cast<const void*>(&code_location), &self) || !self.dli_fname) {
        out.unavailable = "the runtime's own library was not found";
        return out;
      }
      std::string lib = self.dli_fname;
      auto slash = lib.rfind('/');
      path = (slash == std::string::npos ? std::string(".") : lib.substr(0, slash)) + "/libtl_symbolizer.so";
    }
    unsigned long long before = load_count();
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    g_runtime_loads += load_count() - before;
    if (!handle) {
      const char* why = dlerror();
      out.unavailable = "no symbolizer: " + std::string(why ? why : path);
      return out;
    }
    out.fn = reinterpret_cast<symbolize_fn>(dlsym(handle, "tl_symbolize_code"));
    if (!out.fn) out.unavailable = "no symbolizer: " + path + " lacks tl_symbolize_code";
    out.outermost = reinterpret_cast<symbolize_fn>(dlsym(handle, "tl_symbolize_code_outermost"));
    return out;
  }();
  return s;
}

std::string demangled(const char* name) {
  if (!name) return {};
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> d(abi::__cxa_demangle(name, nullptr, nullptr, &status), std::free);
  return status == 0 && d ? std::string(d.get()) : std::string(name);
}

// `pc` is an address inside the instruction to name. Sets `in_library` when its only line is in
// library code.
std::string locate(std::uintptr_t pc, bool& in_library, bool outermost) {
  in_library = false;
  Dl_info info{};
  link_map* map = nullptr;
  if (!dladdr1(reinterpret_cast<const void*>(pc), &info, reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) || !map) {
    return "<unknown location>";
  }
  // The main program's link map has an empty name; the file is readable as /proc/self/exe.
  std::string module = map->l_name && *map->l_name ? map->l_name : "/proc/self/exe";
  std::uint64_t offset = pc - map->l_addr;
  const auto& s = plugin();
  std::string reason = s.unavailable;
  if (auto fn = outermost && s.outermost ? s.outermost : s.fn) {
    char buf[4096];
    int library = 0;
    if (fn(module.c_str(), offset, kLibraryPrefixes, &library, buf, sizeof buf) > 0) {
      in_library = library != 0;
      return buf;
    }
    reason = "no debug information";
  }
  in_library = true;  // no line at all: any frame with one is better
  std::string where = info.dli_fname ? info.dli_fname : module;
  auto slash = where.rfind('/');
  if (slash != std::string::npos) where = where.substr(slash + 1);
  char off[32];
  std::snprintf(off, sizeof off, "+%#llx", static_cast<unsigned long long>(offset));
  std::string what = info.dli_sname ? demangled(info.dli_sname) + " in " + where : where + off;
  return what + " (no line: " + reason + ")";
}

// Symbolizing reads DWARF: once per instruction address.
std::string cached_locate(std::uintptr_t pc, bool& in_library, bool outermost = false) {
  static std::mutex mu;
  static auto* cache = new std::map<std::pair<std::uintptr_t, bool>, std::pair<std::string, bool>>;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache->find({pc, outermost}); it != cache->end()) {
      in_library = it->second.second;
      return it->second.first;
    }
  }
  auto text = locate(pc, in_library, outermost);
  std::lock_guard<std::mutex> lock(mu);
  return cache->emplace(std::make_pair(pc, outermost), std::make_pair(std::move(text), in_library)).first->second.first;
}

}  // namespace

std::string traced_statement_of_stack(const void* const* frames, int count) {
  Dl_info self{};
  dladdr(reinterpret_cast<const void*>(&traced_statement_of_stack), &self);
  std::string outermost;
  for (int i = 1; i < count && frames[i]; ++i) {
    Dl_info info{};
    bool in_runtime = dladdr(frames[i], &info) && info.dli_fbase == self.dli_fbase;
    if (in_runtime) {
      if (!outermost.empty()) break;  // back in the runtime: the trace's entry
      continue;
    }
    bool in_library = false;
    auto text = cached_locate(reinterpret_cast<std::uintptr_t>(frames[i]) - 1, in_library, true);
    if (!in_library) outermost = text;
  }
  return outermost;
}

std::string code_location(const void* return_address) {
  if (!return_address) return "<unknown location>";
  bool in_library = false;
  // The call instruction ends at the return address; one byte back is inside it.
  return cached_locate(reinterpret_cast<std::uintptr_t>(return_address) - 1, in_library);
}

std::string code_location_of_stack(const void* const* frames, int count) {
  std::string first;
  for (int i = 0; i < count; ++i) {
    if (!frames[i]) break;
    auto pc = reinterpret_cast<std::uintptr_t>(frames[i]) - (i == 0 ? 0 : 1);
    bool in_library = false;
    auto text = cached_locate(pc, in_library);
    if (!in_library) return text;
    if (first.empty()) first = text;
  }
  return first.empty() ? "<unknown location>" : first;
}

unsigned long long modules_loaded_by_runtime() { return g_runtime_loads.load(); }

operator_site::operator_site(const void* return_address) : previous_(t_operator_site) {
  t_operator_site = return_address;
}
operator_site::~operator_site() { t_operator_site = previous_; }
const void* current_operator_site() { return t_operator_site; }

std::string format_call_location(const std::source_location& loc) {
  if (loc.line() != 0 || !t_operator_site) return format_location(loc);
  return code_location(t_operator_site);
}

}  // namespace tl::detail
