// The user's loaded modules and the bytes of theirs a snapshot covers (see static_snapshot.h).
#include "hazards/module_table.h"

#include <cxxabi.h>
#include <elf.h>
#include <link.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>

namespace tl::detail {

namespace {

bool skipped_path(const std::string& p) {
  static const char* system_prefixes[] = {"/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/", "linux-vdso", "linux-gate"};
  for (auto* s : system_prefixes)
    if (p.rfind(s, 0) == 0) return true;
  static const char* deny[] = {"libopenblas", "libblas",   "libgomp", "libomp",   "libtbb",  "libtorch",   "libc10",
                               "libcuda",     "libcudart", "libasan", "libubsan", "libtsan", "libclang_rt"};
  auto base = p.substr(p.find_last_of('/') + 1);
  for (auto* d : deny)
    if (base.rfind(d, 0) == 0) return true;
  return false;
}

bool env_list_matches(const char* var, const std::string& path) {
  const char* v = std::getenv(var);
  if (!v) return false;
  std::string list = v;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(':', start);
    if (end == std::string::npos) end = list.size();
    auto item = list.substr(start, end - start);
    if (!item.empty() && path.find(item) != std::string::npos) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::string demangle(const std::string& mangled) {
  std::string m = mangled.substr(0, mangled.find('@'));  // versioned imports: _ZSt4cout@GLIBCXX_3.4
  // __cxa_demangle also accepts bare type codes, so a C-linkage symbol named `g` would come back as
  // "__float128" and `i` as "int": only Itanium-mangled names (_Z...) are demangled.
  if (m.rfind("_Z", 0) != 0) return m;
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> d(abi::__cxa_demangle(m.c_str(), nullptr, nullptr, &status), std::free);
  return status == 0 && d ? std::string(d.get()) : m;
}

namespace {

// Marks the symbols at the targets of COPY relocations (symbol::library_copy).
template <class ReadBlob>
void mark_library_copies(const Elf64_Ehdr& eh, const std::vector<Elf64_Shdr>& sh, ReadBlob& read_blob,
                         module_info& out) {
  unsigned copy_type = eh.e_machine == EM_X86_64 ? R_X86_64_COPY : eh.e_machine == EM_AARCH64 ? R_AARCH64_COPY : 0;
  if (copy_type == 0) return;
  for (const auto& s : sh) {
    if (s.sh_type != SHT_RELA || s.sh_entsize != sizeof(Elf64_Rela)) continue;
    std::string relas = read_blob(s);
    for (std::size_t off = 0; off + sizeof(Elf64_Rela) <= relas.size(); off += sizeof(Elf64_Rela)) {
      Elf64_Rela r;
      std::memcpy(&r, relas.data() + off, sizeof r);
      if (ELF64_R_TYPE(r.r_info) != copy_type) continue;
      for (auto& sym : out.symbols)
        if (sym.value == r.r_offset) sym.library_copy = true;
    }
  }
}

// Reads section headers and object symbols of an ELF64 file. Selects writable, allocated, non-TLS
// sections by flags (not names), minus the dynamic linker's tables.
bool read_elf(const std::string& path, std::uintptr_t bias, std::uintptr_t relro_begin, std::uintptr_t relro_end,
              module_info& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  Elf64_Ehdr eh;
  if (!f.read(reinterpret_cast<char*>(&eh), sizeof eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr))
    return false;
  std::vector<Elf64_Shdr> sh(eh.e_shnum);
  f.seekg(static_cast<std::streamoff>(eh.e_shoff));
  if (!f.read(reinterpret_cast<char*>(sh.data()), static_cast<std::streamsize>(sh.size() * sizeof(Elf64_Shdr))))
    return false;
  if (eh.e_shstrndx >= sh.size()) return false;
  auto read_blob = [&](const Elf64_Shdr& s) {
    std::string blob(s.sh_size, '\0');
    f.seekg(static_cast<std::streamoff>(s.sh_offset));
    f.read(blob.data(), static_cast<std::streamsize>(blob.size()));
    return blob;
  };
  std::string shstr = read_blob(sh[eh.e_shstrndx]);
  static const char* excluded[] = {".got",           ".got.plt", ".init_array",  ".fini_array",
                                   ".preinit_array", ".dynamic", ".data.rel.ro", ".tm_clone_table"};
  const Elf64_Shdr* symtab = nullptr;
  const Elf64_Shdr* dynsym = nullptr;
  for (const auto& s : sh) {
    std::string name = s.sh_name < shstr.size() ? std::string(shstr.c_str() + s.sh_name) : "";
    if (s.sh_type == SHT_SYMTAB) symtab = &s;
    if (s.sh_type == SHT_DYNSYM) dynsym = &s;
    if ((s.sh_flags & (SHF_ALLOC | SHF_WRITE)) != (SHF_ALLOC | SHF_WRITE) || (s.sh_flags & SHF_TLS) || s.sh_size == 0)
      continue;
    if (std::find_if(std::begin(excluded), std::end(excluded), [&](const char* e) { return name == e; }) !=
        std::end(excluded))
      continue;
    std::uintptr_t b = bias + s.sh_addr, e = b + s.sh_size;
    // Anything inside RELRO is read-only after relocation: never a user write.
    if (relro_end > relro_begin) {
      if (b >= relro_begin && e <= relro_end) continue;
      if (b < relro_end && e > relro_end) b = relro_end;
    }
    out.ranges.push_back({b, static_cast<std::size_t>(e - b), name, s.sh_type == SHT_NOBITS});
  }
  const Elf64_Shdr* table = symtab ? symtab : dynsym;
  if (table && table->sh_link < sh.size() && table->sh_entsize == sizeof(Elf64_Sym)) {
    std::string strs = read_blob(sh[table->sh_link]);
    std::string syms = read_blob(*table);
    for (std::size_t off = 0; off + sizeof(Elf64_Sym) <= syms.size(); off += sizeof(Elf64_Sym)) {
      Elf64_Sym s;
      std::memcpy(&s, syms.data() + off, sizeof s);
      if (ELF64_ST_TYPE(s.st_info) != STT_OBJECT || s.st_size == 0 || s.st_name >= strs.size()) continue;
      out.symbols.push_back({s.st_value, s.st_size, std::string(strs.c_str() + s.st_name)});
    }
    std::sort(out.symbols.begin(), out.symbols.end(),
              [](const symbol& a, const symbol& b) { return a.value < b.value; });
  }
  mark_library_copies(eh, sh, read_blob, out);
  return true;
}

}  // namespace

bool is_instrumentation(const std::string& name) {
  static const char* prefixes[] = {"__ubsan", "__asan", "__tsan",     "__msan",   "__sancov",
                                   "__llvm_", "__gcov", "__odr_asan", "__profc_", "__profd_"};
  for (auto* p : prefixes)
    if (name.rfind(p, 0) == 0) return true;
  return false;
}

namespace {

struct module_table {
  unsigned long long adds = ~0ull, subs = ~0ull;
  std::vector<module_info> modules;
};

std::uintptr_t runtime_anchor() { return reinterpret_cast<std::uintptr_t>(&runtime_anchor); }

int collect(struct dl_phdr_info* info, size_t, void* data) {
  auto& mods = *static_cast<std::vector<module_info>*>(data);
  std::string path = info->dlpi_name ? info->dlpi_name : "";
  bool main_exe = path.empty();
  if (main_exe) path = "/proc/self/exe";
  std::uintptr_t relro_b = 0, relro_e = 0;
  bool holds_runtime = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& ph = info->dlpi_phdr[i];
    std::uintptr_t b = info->dlpi_addr + ph.p_vaddr;
    if (ph.p_type == PT_GNU_RELRO) {
      relro_b = b;
      relro_e = b + ph.p_memsz;
    }
    if (ph.p_type == PT_LOAD && runtime_anchor() >= b && runtime_anchor() < b + ph.p_memsz) holds_runtime = true;
  }
  bool forced = env_list_matches("TL_SNAPSHOT_INCLUDE", path);
  if (holds_runtime || env_list_matches("TL_SNAPSHOT_EXCLUDE", path) || (!main_exe && !forced && skipped_path(path)))
    return 0;
  module_info m;
  char resolved[4096];
  m.path = realpath(path.c_str(), resolved) ? resolved : path;
  m.name = m.path.substr(m.path.find_last_of('/') + 1);
  m.bias = info->dlpi_addr;
  if (read_elf(m.path, m.bias, relro_b, relro_e, m)) mods.push_back(std::move(m));
  return 0;
}

std::mutex g_table_mu;
module_table g_table;

int first_module_counts(struct dl_phdr_info* info, size_t, void* data) {
  auto* p = static_cast<std::pair<unsigned long long, unsigned long long>*>(data);
  p->first = info->dlpi_adds;
  p->second = info->dlpi_subs;
  return 1;  // the first module carries the process-wide counters
}

}  // namespace

std::vector<module_info> current_modules(unsigned long long& adds, unsigned long long& subs) {
  std::pair<unsigned long long, unsigned long long> c{0, 0};
  dl_iterate_phdr(first_module_counts, &c);
  std::lock_guard<std::mutex> lock(g_table_mu);
  if (c.first != g_table.adds || c.second != g_table.subs) {
    g_table.modules.clear();
    dl_iterate_phdr(collect, &g_table.modules);
    // A copied object that a selected module (a user library) defines is that module's state.
    auto base = [](const std::string& name) { return name.substr(0, name.find('@')); };
    for (auto& m : g_table.modules)
      for (auto& sym : m.symbols) {
        if (!sym.library_copy) continue;
        for (const auto& other : g_table.modules)
          if (&other != &m && std::any_of(other.symbols.begin(), other.symbols.end(), [&](const symbol& o) {
                return !o.library_copy && base(o.name) == base(sym.name);
              }))
            sym.library_copy = false;
      }
    g_table.adds = c.first;
    g_table.subs = c.second;
  }
  adds = c.first;
  subs = c.second;
  return g_table.modules;
}

std::pair<unsigned long long, unsigned long long> module_load_counts() {
  std::pair<unsigned long long, unsigned long long> c{0, 0};
  dl_iterate_phdr(first_module_counts, &c);
  return c;
}

std::string static_symbol_of(const void* addr, bool& is_static) {
  unsigned long long adds = 0, subs = 0;
  auto a = reinterpret_cast<std::uintptr_t>(addr);
  for (const auto& m : current_modules(adds, subs)) {
    for (const auto& r : m.ranges) {
      if (a < r.begin || a >= r.begin + r.size) continue;
      is_static = true;
      std::uint64_t vaddr = a - m.bias;
      auto it = std::upper_bound(m.symbols.begin(), m.symbols.end(), vaddr,
                                 [](std::uint64_t v, const symbol& s) { return v < s.value; });
      if (it != m.symbols.begin() && vaddr < std::prev(it)->value + std::prev(it)->size)
        return demangle(std::prev(it)->name);
      return "";
    }
  }
  is_static = false;
  return "";
}

}  // namespace tl::detail
