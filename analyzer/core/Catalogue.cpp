#include "core/Catalogue.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/JsonFile.h"

namespace tracelint {

std::pair<unsigned, unsigned> lineColumnOf(const std::string& Text, std::size_t Offset) {
  unsigned Line = 1, Col = 1;
  for (std::size_t I = 0; I < Offset && I < Text.size(); ++I) {
    if (Text[I] == '\n') {
      ++Line;
      Col = 1;
    } else {
      ++Col;
    }
  }
  return {Line, Col};
}

std::optional<Catalogue> Catalogue::load(const std::string& Path, std::string& Error) {
  nlohmann::json J;
  if (!readJsonFile(Path, "rule catalogue", J, Error)) return std::nullopt;
  Catalogue C;
  try {
    for (const auto& R : J.at("rules")) {
      RuleInfo Info;
      Info.Id = R.at("id").get<std::string>();
      Info.Summary = R.at("summary").get<std::string>();
      Info.Description = R.at("description").get<std::string>();
      auto Sev = R.at("severity").get<std::string>();
      auto Parsed = parseSeverity(Sev);
      if (!Parsed) throw std::runtime_error("rule '" + Info.Id + "' has unknown severity '" + Sev + "'");
      Info.DefaultSeverity = *Parsed;
      Info.Precision = R.at("precision").get<std::string>();
      Info.RuntimeObserves = R.value("runtime_observes", false);
      for (const auto& O : R.value("options", nlohmann::json::array()))
        Info.Options.push_back(O.is_object() ? O.at("name").get<std::string>() : O.get<std::string>());
      auto AddMessage = [&](const std::string& Key, const nlohmann::json& M) {
        MessageKey K{M.at("placeholders").get<std::vector<std::string>>(), M.at("text").get<std::string>()};
        if (K.Default.empty()) throw std::runtime_error("message '" + Key + "' has an empty text");
        C.Messages[Key] = std::move(K);
      };
      if (R.contains("message")) AddMessage(Info.Id, R.at("message"));
      const auto Variants = R.value("message_variants", nlohmann::json::object());
      for (const auto& [Variant, M] : Variants.items()) AddMessage(Info.Id + "." + Variant, M);
      C.Rules.push_back(std::move(Info));
    }
  } catch (const std::exception& E) {
    Error = Path + ": malformed rule catalogue: " + E.what();
    return std::nullopt;
  }
  return C;
}

const RuleInfo* Catalogue::find(const std::string& Id) const {
  for (const auto& R : Rules)
    if (R.Id == Id) return &R;
  return nullptr;
}

std::string findRulesDir(const std::string& Argv0) {
  namespace fs = std::filesystem;
  if (const char* Env = std::getenv("TRACELINT_RULES_DIR"); Env && *Env) return Env;
  std::error_code EC;
  fs::path Self = fs::canonical("/proc/self/exe", EC);
  if (EC) Self = fs::absolute(Argv0, EC);
  fs::path Installed = Self.parent_path().parent_path() / "share" / "tracelint" / "rules";
  if (fs::exists(Installed / "catalogue.json", EC)) return Installed.string();
  return TRACELINT_SOURCE_RULES_DIR;
}

}  // namespace tracelint
