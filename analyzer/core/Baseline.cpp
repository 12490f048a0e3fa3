#include "core/Baseline.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "core/JsonFile.h"

namespace tracelint {

namespace {

constexpr int kFormatVersion = 1;

std::string directoryOf(const std::string& Path) {
  namespace fs = std::filesystem;
  std::error_code EC;
  // A baseline read through a pipe (--baseline=<(git show HEAD:baseline.json)) lives in no
  // directory: its entries are relative to the directory the run starts in.
  if (fs::exists(Path, EC) && !fs::is_regular_file(Path, EC)) return fs::current_path(EC).string();
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

// "<base>:<n>" -> "<base>": the ordinal says nothing about which of identical statements is which.
std::string baseOf(const std::string& Fingerprint) { return Fingerprint.substr(0, Fingerprint.rfind(':')); }

}  // namespace

std::string Baseline::render(const std::vector<Finding>& Findings, const std::string& Path) {
  auto Dir = directoryOf(Path);
  nlohmann::json Items = nlohmann::json::array();
  for (const auto& F : Findings) {
    // The rule, line and message are for people reading a review; matching uses file and fingerprint.
    Items.push_back({{"file", storedName(F.Where.File, Dir)},
                     {"fingerprint", F.Fingerprint},
                     {"context", F.Context},
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
    if (E.contains("context") && !E["context"].is_string())
      return Fail(Ptr, readablePointer(Ptr) + ": \"context\" must be a string");
    B.Groups[{E["file"].get<std::string>(), baseOf(E["fingerprint"].get<std::string>())}].push_back(
        E.value("context", std::string()));
    ++B.Size;
  }
  return B;
}

void Baseline::filter(RunResult& R) const {
  // Every finding of a file by fingerprint base; the line filter's left-outs first, so that an
  // accepted context is spent on an unchanged line before a changed one.
  struct Member {
    const Finding* F;
    bool Reported;
  };
  std::map<std::pair<std::string, std::string>, std::vector<Member>> Current;
  for (const auto& F : R.OutsideLineFilter)
    Current[{storedName(F.Where.File, Dir), baseOf(F.Fingerprint)}].push_back({&F, false});
  for (const auto& F : R.Findings)
    Current[{storedName(F.Where.File, Dir), baseOf(F.Fingerprint)}].push_back({&F, true});
  std::set<const Finding*> Accepted;
  for (const auto& [Key, Members] : Current) {
    auto It = Groups.find(Key);
    if (It == Groups.end()) continue;
    if (Members.size() <= It->second.size()) {
      for (const auto& M : Members) Accepted.insert(M.F);
      continue;
    }
    // Entries spent on a whole context first, then on one half (the line above or below is the
    // same: an insertion next to an accepted statement changes the other half).
    std::vector<std::string> Left;
    for (const auto& C : It->second)
      if (!C.empty()) Left.push_back(C);
    auto Spend = [&](auto Matches) {
      for (const auto& M : Members) {
        if (Accepted.count(M.F) || M.F->Context.empty()) continue;
        auto C = std::find_if(Left.begin(), Left.end(), [&](const std::string& E) { return Matches(E, M.F->Context); });
        if (C == Left.end()) continue;
        Left.erase(C);
        Accepted.insert(M.F);
      }
    };
    Spend([](const std::string& E, const std::string& C) { return E == C; });
    Spend([](const std::string& E, const std::string& C) {
      auto Dot = E.find('.');
      return Dot != std::string::npos && Dot == C.find('.') &&
             (E.compare(0, Dot, C, 0, Dot) == 0 || E.compare(Dot, std::string::npos, C, Dot, std::string::npos) == 0);
    });
  }
  std::vector<Finding> Kept;
  for (auto& F : R.Findings) (Accepted.count(&F) ? R.Accepted : Kept).push_back(std::move(F));
  R.Findings = std::move(Kept);
}

}  // namespace tracelint
