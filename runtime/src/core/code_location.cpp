#include "core/code_location.h"

#include <cxxabi.h>
#include <dlfcn.h>
#include <link.h>

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

using symbolize_fn = int (*)(const char* module, std::uint64_t offset, char* out, int size);

struct symbolizer {
  symbolize_fn fn = nullptr;
  std::string unavailable;  // why there is no plugin, for the degraded message
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
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      out.unavailable = "no symbolizer: " + std::string(why ? why : path);
      return out;
    }
    out.fn = reinterpret_cast<symbolize_fn>(dlsym(handle, "tl_symbolize_code"));
    if (!out.fn) out.unavailable = "no symbolizer: " + path + " lacks tl_symbolize_code";
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

std::string locate(const void* return_address) {
  // The call instruction ends at the return address; one byte back is inside it.
  auto pc = reinterpret_cast<std::uintptr_t>(return_address) - 1;
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
  if (s.fn) {
    char buf[4096];
    if (s.fn(module.c_str(), offset, buf, sizeof buf) > 0) return buf;
    reason = "no debug information";
  }
  std::string where = info.dli_fname ? info.dli_fname : module;
  auto slash = where.rfind('/');
  if (slash != std::string::npos) where = where.substr(slash + 1);
  char off[32];
  std::snprintf(off, sizeof off, "+%#llx", static_cast<unsigned long long>(offset));
  std::string what = info.dli_sname ? demangled(info.dli_sname) + " in " + where : where + off;
  return what + " (no line: " + reason + ")";
}

}  // namespace

std::string code_location(const void* return_address) {
  if (!return_address) return "<unknown location>";
  // Symbolizing reads DWARF: do it once per address.
  static std::mutex mu;
  static auto* cache = new std::map<const void*, std::string>;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache->find(return_address); it != cache->end()) return it->second;
  }
  auto text = locate(return_address);
  std::lock_guard<std::mutex> lock(mu);
  return cache->emplace(return_address, std::move(text)).first->second;
}

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
