#include "cli/ResultCache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/xxhash.h"

namespace tracelint {

namespace {

constexpr int kFormat = 2;  // bump when the entry's layout or FileResult's JSON changes

std::string hex(llvm::XXH128_hash_t H) {
  char Buf[33];
  std::snprintf(Buf, sizeof Buf, "%016llx%016llx", static_cast<unsigned long long>(H.high64),
                static_cast<unsigned long long>(H.low64));
  return Buf;
}

std::string hashText(const std::string& Text) {
  return hex(llvm::xxh3_128bits(llvm::ArrayRef(reinterpret_cast<const uint8_t*>(Text.data()), Text.size())));
}

std::optional<std::string> readAll(const std::string& Path) {
  std::ifstream In(Path, std::ios::binary);
  if (!In) return std::nullopt;
  std::ostringstream S;
  S << In.rdbuf();
  if (In.bad()) return std::nullopt;
  return S.str();
}

}  // namespace

ResultCache::ResultCache(std::string D) : Dir(std::move(D)) {
  if (Dir.empty()) return;
  // A rebuilt tracelint keeps its version string but not its size and time: results of the old
  // binary are not reused.
  std::string Self = llvm::sys::fs::getMainExecutable(nullptr, reinterpret_cast<void*>(&hashText));
  std::error_code EC;
  auto Size = std::filesystem::file_size(Self, EC);
  auto Time = std::filesystem::last_write_time(Self, EC).time_since_epoch().count();
  BinaryIdentity = Self + "\n" + std::to_string(EC ? 0 : Size) + "\n" + std::to_string(EC ? 0 : Time);
}

std::string ResultCache::hashFile(const std::string& Path) {
  auto Text = readAll(Path);
  return Text ? hashText(*Text) : "";
}

std::string ResultCache::dependencyHash(const std::string& Path) const {
  {
    std::lock_guard<std::mutex> L(HashesMu);
    if (auto It = Hashes.find(Path); It != Hashes.end()) return It->second;
  }
  auto Hash = hashFile(Path);
  std::lock_guard<std::mutex> L(HashesMu);
  return Hashes.emplace(Path, Hash).first->second;
}

std::string ResultCache::key(const std::vector<std::string>& Parts) const {
  std::string All = "tracelint-result-cache " + std::to_string(kFormat) + "\n" + BinaryIdentity;
  for (const auto& P : Parts) All += "\n" + std::to_string(P.size()) + ":" + P;  // lengths keep parts apart
  return hashText(All);
}

std::string ResultCache::seal(const std::string& Body) const { return hashText(Secret + "\n" + Body); }

bool ResultCache::loadSecret(bool Create) const {
  std::lock_guard<std::mutex> L(SecretMu);
  if (!Secret.empty()) return true;
  auto Path = Dir + "/secret";
  if (auto Text = readAll(Path); Text && Text->size() == kSecretBytes) {
    Secret = *Text;
    return true;
  }
  if (!Create) return false;
  std::error_code EC;
  std::filesystem::create_directories(Dir, EC);
  std::string Bytes(kSecretBytes, '\0');
  std::ifstream Random("/dev/urandom", std::ios::binary);
  if (!Random.read(Bytes.data(), static_cast<std::streamsize>(Bytes.size()))) return false;
  // Created exclusively and readable by its owner only; a concurrent run that made one first wins.
  int Fd = ::open(Path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (Fd >= 0) {
    bool Ok = ::write(Fd, Bytes.data(), Bytes.size()) == static_cast<ssize_t>(Bytes.size());
    ::close(Fd);
    if (!Ok) return false;
  }
  auto Text = readAll(Path);
  if (!Text || Text->size() != kSecretBytes) return false;
  Secret = *Text;
  return true;
}

void ResultCache::warnOnce(const std::string& Message) const {
  std::lock_guard<std::mutex> L(SecretMu);
  if (Warned) return;
  Warned = true;
  std::cerr << "tracelint: warning: result cache '" << Dir << "': " << Message << "; running without it\n";
}

std::optional<FileResult> ResultCache::lookup(const std::string& Key) const {
  if (!enabled() || !loadSecret(false)) return std::nullopt;
  auto Text = readAll(Dir + "/" + Key + ".json");
  if (!Text) return std::nullopt;
  try {
    auto J = nlohmann::json::parse(*Text);
    if (J.at("format").get<int>() != kFormat) return std::nullopt;
    // An entry altered since it was written (by hand, by a disk, by another tool) is no result.
    if (J.at("seal").get<std::string>() != seal(J.at("entry").dump())) return std::nullopt;
    const auto& E = J.at("entry");
    // A result that depends on nothing cannot be checked, so it is not trusted.
    if (E.at("dependencies").empty()) return std::nullopt;
    for (const auto& D : E.at("dependencies")) {
      const auto Path = D.at(0).get<std::string>();
      const auto Hash = D.at(1).get<std::string>();
      if (Hash.empty() || dependencyHash(Path) != Hash) return std::nullopt;
    }
    std::error_code EC;
    for (const auto& Shadow : E.at("result").at("Shadows"))
      if (std::filesystem::exists(Shadow.get<std::string>(), EC)) return std::nullopt;
    std::string Error;
    return fileResultFromJson(E.at("result").dump(), Error);
  } catch (const std::exception&) {
    return std::nullopt;  // a corrupted or foreign entry: analyze again
  }
}

void ResultCache::store(const std::string& Key, const FileResult& R) const {
  if (!enabled() || !failureReason(R).empty() || R.Dependencies.empty()) return;
  nlohmann::json Deps = nlohmann::json::array();
  for (const auto& Path : R.Dependencies) {
    auto Hash = dependencyHash(Path);
    if (Hash.empty()) return;  // a dependency that cannot be read cannot be checked later
    Deps.push_back({Path, Hash});
  }
  if (!loadSecret(true)) {
    warnOnce("cannot create or read its secret (is the directory writable?)");
    return;
  }
  // The body is sealed as it will be read back (nlohmann's dump of the parsed entry).
  nlohmann::json Entry = {{"dependencies", Deps}, {"result", nlohmann::json::parse(toJson(R))}};
  Entry = nlohmann::json::parse(Entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  nlohmann::json Sealed = {{"format", kFormat}, {"seal", seal(Entry.dump())}, {"entry", Entry}};
  std::error_code EC;
  std::string Final = Dir + "/" + Key + ".json";
  std::string Temp = Final + ".tmp." + std::to_string(::getpid()) + "." +
                     std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id()));
  {
    std::ofstream Out(Temp, std::ios::binary | std::ios::trunc);
    Out << Sealed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!Out) {
      std::filesystem::remove(Temp, EC);
      warnOnce("cannot write an entry");
      return;
    }
  }
  std::filesystem::rename(Temp, Final, EC);
  if (EC) {
    std::filesystem::remove(Temp, EC);
    warnOnce("cannot write an entry");
  }
}

}  // namespace tracelint
