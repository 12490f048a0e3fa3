#include "core/Config.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/JsonFile.h"

namespace tracelint {

Config Config::merge(const Config& Parent, const Config& Child) {
  Config Out = Parent;
  auto Append = [](const std::optional<std::string>& P,
                   const std::optional<std::string>& C) -> std::optional<std::string> {
    if (P && C) return *P + "," + *C;
    return C ? C : P;
  };
  Out.Checks = Append(Parent.Checks, Child.Checks);
  Out.WarningsAsErrors = Append(Parent.WarningsAsErrors, Child.WarningsAsErrors);
  if (Child.HeaderFilterRegex) Out.HeaderFilterRegex = Child.HeaderFilterRegex;
  if (!Child.Packs.empty()) Out.Packs = Child.Packs;
  for (const auto& [K, V] : Child.CheckOptions) Out.CheckOptions[K] = V;
  for (const auto& [K, V] : Child.CheckOptionSites) Out.CheckOptionSites[K] = V;
  Out.InheritParentConfig = Child.InheritParentConfig;
  Out.Sources = Child.Sources;
  Out.Sources.insert(Out.Sources.end(), Parent.Sources.begin(), Parent.Sources.end());
  return Out;
}

std::optional<Config> parseConfigText(const std::string& Text, const std::string& Path, std::string& Error) {
  Config C;
  C.Sources.push_back(Path);
  nlohmann::json J;
  if (!parseJsonText(Text, Path, "configuration", J, Error, /*RejectDuplicateKeys=*/true)) return std::nullopt;
  JsonPositions Pos(Text);
  auto Pointer = [](const std::string& Key) { return (nlohmann::json::json_pointer() / Key).to_string(); };
  auto Fail = [&](const std::string& Key, const std::string& What) {
    Error = Pos.site(Path, Pointer(Key)) + ": configuration key '" + Key + "' " + What;
  };
  if (!J.is_object()) {
    Error = Path + ":1:1: configuration must be a JSON object";
    return std::nullopt;
  }
  for (auto It = J.begin(); It != J.end(); ++It) {
    const auto& K = It.key();
    const auto& V = It.value();
    if (K == "Checks" || K == "WarningsAsErrors" || K == "HeaderFilterRegex") {
      if (!V.is_string()) {
        Fail(K, "must be a string");
        return std::nullopt;
      }
      (K == "Checks"             ? C.Checks
       : K == "WarningsAsErrors" ? C.WarningsAsErrors
                                 : C.HeaderFilterRegex) = V.get<std::string>();
    } else if (K == "Packs") {
      if (!V.is_array()) {
        Fail(K, "must be an array of pack names or paths");
        return std::nullopt;
      }
      for (const auto& P : V) {
        if (!P.is_string()) {
          Fail(K, "must be an array of strings");
          return std::nullopt;
        }
        std::string Name = P.get<std::string>();
        // Relative pack paths are relative to the configuration file.
        if (Name.find('/') != std::string::npos && Name[0] != '/')
          Name = (std::filesystem::path(Path).parent_path() / Name).lexically_normal().string();
        C.Packs.push_back(Name);
      }
    } else if (K == "CheckOptions") {
      if (!V.is_object()) {
        Fail(K, "must be an object of \"check.option\": value");
        return std::nullopt;
      }
      for (auto O = V.begin(); O != V.end(); ++O) {
        C.CheckOptions[O.key()] = O.value().is_string() ? O.value().get<std::string>() : O.value().dump();
        C.CheckOptionSites[O.key()] = Pos.site(Path, (nlohmann::json::json_pointer() / K / O.key()).to_string());
      }
    } else if (K == "InheritParentConfig") {
      if (!V.is_boolean()) {
        Fail(K, "must be true or false");
        return std::nullopt;
      }
      C.InheritParentConfig = V.get<bool>();
    } else {
      Fail(K,
           "is unknown (known: Checks, WarningsAsErrors, HeaderFilterRegex, Packs, CheckOptions, "
           "InheritParentConfig)");
      return std::nullopt;
    }
  }
  return C;
}

std::optional<Config> parseConfigFile(const std::string& Path, std::string& Error) {
  nlohmann::json Unused;
  std::string Text;
  if (!readJsonFile(Path, "configuration", Unused, Error, &Text)) return std::nullopt;
  return parseConfigText(Text, Path, Error);
}

std::optional<Config> configForFile(const std::string& File, std::string& Error) {
  namespace fs = std::filesystem;
  std::error_code EC;
  fs::path Dir = fs::absolute(File, EC).parent_path();
  std::vector<Config> Chain;  // nearest first
  for (fs::path D = Dir;; D = D.parent_path()) {
    fs::path Candidate = D / ".tracelint.json";
    if (fs::exists(Candidate, EC)) {
      auto C = parseConfigFile(Candidate.string(), Error);
      if (!C) return std::nullopt;
      Chain.push_back(*C);
      if (!C->InheritParentConfig) break;
    }
    if (D == D.parent_path()) break;
  }
  Config Out;
  for (auto It = Chain.rbegin(); It != Chain.rend(); ++It) Out = Config::merge(Out, *It);
  return Out;
}

}  // namespace tracelint
