#include "cli/ResultCache.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/xxhash.h"

namespace tracelint {

namespace {

constexpr int kFormat = 1;  // bump when the entry's layout or FileResult's JSON changes

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

std::optional<FileResult> ResultCache::lookup(const std::string& Key) const {
  if (!enabled()) return std::nullopt;
  auto Text = readAll(Dir + "/" + Key + ".json");
  if (!Text) return std::nullopt;
  try {
    auto J = nlohmann::json::parse(*Text);
    if (J.at("format").get<int>() != kFormat) return std::nullopt;
    for (const auto& D : J.at("dependencies")) {
      const auto Path = D.at(0).get<std::string>();
      const auto Hash = D.at(1).get<std::string>();
      if (Hash.empty() || dependencyHash(Path) != Hash) return std::nullopt;
    }
    std::string Error;
    return fileResultFromJson(J.at("result").dump(), Error);
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
  nlohmann::json Entry = {{"format", kFormat}, {"dependencies", Deps}, {"result", nlohmann::json::parse(toJson(R))}};
  std::error_code EC;
  std::filesystem::create_directories(Dir, EC);
  std::string Final = Dir + "/" + Key + ".json";
  std::string Temp = Final + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream Out(Temp, std::ios::binary | std::ios::trunc);
    Out << Entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!Out) {
      std::filesystem::remove(Temp, EC);
      return;
    }
  }
  std::filesystem::rename(Temp, Final, EC);
  if (EC) std::filesystem::remove(Temp, EC);
}

}  // namespace tracelint
