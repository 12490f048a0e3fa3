#include "cli/RunSetup.h"

#include <algorithm>
#include <filesystem>

#include "checks/Check.h"
#include "core/Config.h"
#include "core/Glob.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace tracelint {

std::vector<std::string> enabledChecks(const std::string& Globs, const Catalogue& Cat) {
  GlobList G(Globs);
  std::vector<std::string> Out;
  for (const auto& R : Cat.rules())
    if (checkRegistry().count(R.Id) && G.contains(R.Id)) Out.push_back(R.Id);
  return Out;
}

bool checkGlobsKnown(const std::string& List, const std::string& Where, const Catalogue& Cat, std::string& Error) {
  llvm::SmallVector<llvm::StringRef, 8> Items;
  llvm::StringRef(List).split(Items, ',', -1, false);
  for (auto Item : Items) {
    auto Glob = Item.trim();
    auto Pattern = Glob.starts_with("-") ? Glob.drop_front().trim() : Glob;
    if (Pattern.empty()) continue;
    bool Matches = false;
    std::string Nearest;
    unsigned Best = ~0u;
    for (const auto& R : Cat.rules()) {
      if (globMatch(Pattern.str(), R.Id)) {
        Matches = true;
        break;
      }
      unsigned D = Pattern.edit_distance(R.Id);
      if (D < Best) Best = D, Nearest = R.Id;
    }
    if (Matches) continue;
    Error = Where + ": '" + Glob.str() + "' matches no check";
    if (Best <= std::max<std::size_t>(2, Pattern.size() / 4)) Error += " (did you mean '" + Nearest + "'?)";
    Error += "; see --list-checks";
    return false;
  }
  return true;
}

namespace {

// Configuration and packs are resolved up front, so a configuration error stops the run before
// any file is analyzed (exit code 2), as clang-tidy does.
// An option no check reads would be ignored silently, so it is an error that points at it.
bool checkOptionsKnown(const Config& C, const Catalogue& Cat, std::string& Error) {
  for (const auto& [Key, Value] : C.CheckOptions) {
    auto Dot = Key.rfind('.');
    const auto* Rule = Dot == std::string::npos ? nullptr : Cat.find(Key.substr(0, Dot));
    if (Rule && std::find(Rule->Options.begin(), Rule->Options.end(), Key.substr(Dot + 1)) != Rule->Options.end())
      continue;
    auto Site = C.CheckOptionSites.count(Key) ? C.CheckOptionSites.at(Key) + ": " : std::string();
    Error = Site + "unknown check option '" + Key + "'";
    if (!Rule) {
      Error += " (options are named '<check>.<option>', and no check is named '" +
               (Dot == std::string::npos ? Key : Key.substr(0, Dot)) + "')";
    } else {
      std::string Known;
      for (const auto& O : Rule->Options) Known += (Known.empty() ? "" : ", ") + O;
      Error += Known.empty() ? " (" + Rule->Id + " has no options)" : " (" + Rule->Id + " has: " + Known + ")";
    }
    return false;
  }
  return true;
}

// The packs that ship (rules/packs/*.json), the project's own first: without configuration all are
// on, and each acts only in translation units that declare its API (its detect names).
std::vector<std::string> shippedPacks(const std::string& RulesDir) {
  std::vector<std::string> Names;
  std::error_code EC;
  for (const auto& E : std::filesystem::directory_iterator(RulesDir + "/packs", EC))
    if (E.path().extension() == ".json") Names.push_back(E.path().stem().string());
  std::sort(Names.begin(), Names.end(), [](const std::string& A, const std::string& B) {
    return std::make_pair(A != "tl", A) < std::make_pair(B != "tl", B);
  });
  return Names;
}

// "Packs": names or paths select exactly those; "-name" entries alone turn shipped packs off.
bool selectPacks(const std::vector<std::string>& Configured, const std::string& RulesDir, std::vector<std::string>& Out,
                 std::string& Error) {
  bool OnlyRemovals =
      std::all_of(Configured.begin(), Configured.end(), [](const std::string& N) { return N.rfind('-', 0) == 0; });
  if (OnlyRemovals) Out = shippedPacks(RulesDir);
  for (const auto& Name : Configured) {
    if (Name.rfind('-', 0) != 0) {
      Out.push_back(Name);
      continue;
    }
    auto It = std::find(Out.begin(), Out.end(), Name.substr(1));
    if (It == Out.end()) {
      Error = "configuration turns off pack '" + Name.substr(1) + "', which is not a shipped pack";
      if (!OnlyRemovals) Error += " (\"-name\" entries cannot be mixed with packs named to be on)";
      return false;
    }
    Out.erase(It);
  }
  if (Out.empty()) {
    Error = "configuration turns off every pack: nothing would be analyzed";
    return false;
  }
  return true;
}

// Where a configuration came from, for its errors: the nearest file, or --config.
std::string configSite(const Config& C, const DriverOptions& Opts) {
  if (!Opts.ConfigText.empty()) return "--config";
  return C.Sources.empty() ? std::string("the configuration") : C.Sources.front();
}

}  // namespace

bool prepareSetups(const std::vector<std::string>& Files, const DriverOptions& Opts, const Catalogue& Cat,
                   std::vector<PerFileSetup>& Setups, std::string& Error) {
  if (!checkGlobsKnown(Opts.Checks, "--checks", Cat, Error) ||
      !checkGlobsKnown(Opts.WarningsAsErrors, "--warnings-as-errors", Cat, Error))
    return false;
  std::optional<Config> Fixed;
  if (!Opts.ConfigText.empty()) {
    Fixed = parseConfigText(Opts.ConfigText, "--config", Error);
    if (!Fixed) return false;
  } else if (!Opts.ConfigFile.empty()) {
    Fixed = parseConfigFile(Opts.ConfigFile, Error);
    if (!Fixed) return false;
  }
  std::map<std::string, Pack> PackCache;
  for (const auto& File : Files) {
    auto C = Fixed ? Fixed : configForFile(File, Error);
    if (!C) return false;
    if (!checkGlobsKnown(C->Checks.value_or(""), configSite(*C, Opts) + ": Checks", Cat, Error) ||
        !checkGlobsKnown(C->WarningsAsErrors.value_or(""), configSite(*C, Opts) + ": WarningsAsErrors", Cat, Error))
      return false;
    PerFileSetup S;
    S.Checks = C->Checks.value_or(kDefaultChecks);
    if (!Opts.Checks.empty()) S.Checks += "," + Opts.Checks;
    // clang-tidy's rule: a run that would check nothing is an error, not a clean result.
    if (enabledChecks(S.Checks, Cat).empty()) {
      Error = "no checks enabled for '" + File + "' (checks: '" + S.Checks + "'; see --list-checks)";
      return false;
    }
    if (!checkOptionsKnown(*C, Cat, Error)) return false;
    S.WarningsAsErrors = C->WarningsAsErrors.value_or("");
    if (!Opts.WarningsAsErrors.empty()) S.WarningsAsErrors += "," + Opts.WarningsAsErrors;
    S.HeaderFilter = !Opts.HeaderFilter.empty() ? Opts.HeaderFilter : C->HeaderFilterRegex.value_or("");
    if (!compileFilterSetup(S, Error)) return false;
    std::vector<std::string> PackNames;
    if (!selectPacks(C->Packs, Opts.RulesDir, PackNames, Error)) return false;
    for (const auto& Name : PackNames) {
      auto Path = resolvePackPath(Name, Opts.RulesDir);
      auto It = PackCache.find(Path);
      if (It == PackCache.end()) {
        auto P = loadPack(Path, Cat, Error);
        if (!P) return false;
        It = PackCache.emplace(Path, *P).first;
      }
      S.ThePack.add(It->second);
      S.PackPaths.push_back(Path);
    }
    Setups.push_back(std::move(S));
  }
  return true;
}

std::optional<nlohmann::json> effectiveConfig(const std::string& File, const DriverOptions& Opts, const Catalogue& Cat,
                                              std::string& Error) {
  std::vector<PerFileSetup> Setups;
  if (!prepareSetups({File}, Opts, Cat, Setups, Error)) return std::nullopt;
  const auto& S = Setups.front();
  std::optional<Config> C;
  if (!Opts.ConfigText.empty())
    C = parseConfigText(Opts.ConfigText, "--config", Error);
  else if (!Opts.ConfigFile.empty())
    C = parseConfigFile(Opts.ConfigFile, Error);
  else
    C = configForFile(File, Error);
  if (!C) return std::nullopt;
  nlohmann::json Sources = nlohmann::json::array();
  if (!Opts.ConfigText.empty()) Sources.push_back("--config");
  for (const auto& Source : C->Sources) Sources.push_back(Source);
  return nlohmann::json{{"Checks", S.Checks},
                        {"EnabledChecks", enabledChecks(S.Checks, Cat)},
                        {"WarningsAsErrors", S.WarningsAsErrors},
                        {"HeaderFilterRegex", S.HeaderFilter},
                        {"Packs", S.PackPaths},
                        {"CheckOptions", C->CheckOptions},
                        {"ConfigurationFiles", Sources}};
}

}  // namespace tracelint
