#include "core/Baseline.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/JsonFile.h"

namespace tracelint {

namespace {

constexpr int kFormatVersion = 1;

std::string directoryOf(const std::string& Path) {
  namespace fs = std::filesystem;
  std::error_code EC;
  auto Abs = fs::absolute(Path, EC).lexically_normal().parent_path();
  auto Canonical = fs::weakly_canonical(Abs, EC);
  return (EC ? Abs : Canonical).string();
}

// File as stored: relative to Dir when beneath it, else absolute.
std::string storedName(const std::string& File, const std::string& Dir) {
  namespace fs = std::filesystem;
  std::error_code EC;
  auto Abs = fs::absolute(File, EC).lexically_normal();
  auto Rel = Abs.lexically_relative(Dir);
  if (!Rel.empty() && Rel.native().rfind("..", 0) != 0) return Rel.generic_string();
  return Abs.generic_string();
}

}  // namespace

std::string Baseline::render(const std::vector<Finding>& Findings, const std::string& Path) {
  auto Dir = directoryOf(Path);
  nlohmann::json Items = nlohmann::json::array();
  for (const auto& F : Findings) {
    // The rule, line and message are for people reading a review; matching uses file and fingerprint.
    Items.push_back({{"file", storedName(F.Where.File, Dir)},
                     {"fingerprint", F.Fingerprint},
                     {"rule", F.CheckId},
                     {"line", F.Where.Line},
                     {"message", F.Message}});
  }
  nlohmann::json Doc = {{"tool", "tracelint"}, {"baselineVersion", kFormatVersion}, {"findings", Items}};
  return Doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::optional<Baseline> Baseline::load(const std::string& Path, std::string& Error) {
  nlohmann::json Doc;
  std::string Text;
  if (!readJsonFile(Path, "baseline", Doc, Error, &Text)) return std::nullopt;
  JsonPositions Pos(Text);
  auto Fail = [&](const std::string& Pointer, const std::string& What) {
    Error = Pos.site(Path, Pointer) + ": baseline: " + What + " (write a baseline with --write-baseline=<file>)";
    return std::nullopt;
  };
  if (!Doc.is_object() || Doc.value("tool", "") != "tracelint" || !Doc.contains("findings"))
    return Fail("", "not a tracelint baseline: expected an object with \"tool\": \"tracelint\" and \"findings\"");
  if (!Doc.contains("baselineVersion") || Doc["baselineVersion"] != kFormatVersion)
    return Fail("/baselineVersion",
                "unsupported baselineVersion " +
                    (Doc.contains("baselineVersion") ? Doc["baselineVersion"].dump() : "(missing)") +
                    "; this tracelint reads version " + std::to_string(kFormatVersion));
  if (!Doc["findings"].is_array()) return Fail("/findings", "\"findings\" must be an array");
  Baseline B;
  B.Dir = directoryOf(Path);
  const auto& Items = Doc["findings"];
  for (std::size_t I = 0; I < Items.size(); ++I) {
    const auto& E = Items[I];
    auto Ptr = "/findings/" + std::to_string(I);
    if (!E.is_object()) return Fail(Ptr, readablePointer(Ptr) + " must be an object");
    for (const char* Key : {"file", "fingerprint"})
      if (!E.contains(Key) || !E[Key].is_string() || E[Key].get<std::string>().empty())
        return Fail(Ptr, readablePointer(Ptr) + " needs a non-empty string \"" + Key + "\"");
    B.Entries.emplace(E["file"].get<std::string>(), E["fingerprint"].get<std::string>());
  }
  return B;
}

std::size_t Baseline::filter(std::vector<Finding>& Findings) const {
  auto Before = Findings.size();
  std::erase_if(Findings,
                [&](const Finding& F) { return Entries.count({storedName(F.Where.File, Dir), F.Fingerprint}) != 0; });
  return Before - Findings.size();
}

}  // namespace tracelint
