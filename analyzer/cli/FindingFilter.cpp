#include "cli/FindingFilter.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/Fingerprint.h"
#include "core/JsonFile.h"

namespace tracelint {

namespace {
constexpr std::uint64_t kMaxLineNumber = std::numeric_limits<unsigned>::max();
}  // namespace

bool compileFilterSetup(FilterSetup& S, std::string& Error) {
  S.WarningsAsErrorsGlobs = GlobList(S.WarningsAsErrors);
  if (S.HeaderFilter.empty()) return true;  // no header is shown; llvm::Regex refuses ""
  S.HeaderRegex = std::make_shared<llvm::Regex>(llvm::StringRef(S.HeaderFilter));
  std::string Why;
  if (!S.HeaderRegex->isValid(Why)) {
    Error = "header filter '" + S.HeaderFilter + "' is not a valid regular expression: " + Why;
    return false;
  }
  return true;
}

bool LineFilter::keeps(const SourcePoint& P) const {
  if (!Active) return true;
  for (const auto& [Name, Ranges] : Files) {
    if (!(P.File == Name || P.File.ends_with("/" + Name))) continue;
    if (Ranges.empty()) return true;
    for (auto [A, B] : Ranges)
      if (P.Line >= A && P.Line <= B) return true;
  }
  return false;
}

bool parseLineFilter(const std::string& Json, LineFilter& Out, std::string& Error) {
  if (Json.empty()) return true;
  try {
    auto J = nlohmann::json::parse(Json);
    Out.Active = true;
    for (const auto& F : J) {
      std::vector<std::pair<unsigned, unsigned>> Ranges;
      for (const auto& R : F.value("lines", nlohmann::json::array()))
        Ranges.emplace_back(static_cast<unsigned>(boundedInteger(R.at(0), kMaxLineNumber, "a line")),
                            static_cast<unsigned>(boundedInteger(R.at(1), kMaxLineNumber, "a line")));
      Out.Files.emplace_back(F.at("name").get<std::string>(), Ranges);
    }
  } catch (const std::exception& E) {
    Error = std::string("--line-filter: malformed JSON: ") + E.what();
    return false;
  }
  return true;
}

FindingFilter::FindingFilter(const Catalogue& Cat, LineFilter LF, std::set<std::string> Analyzed,
                             std::function<std::string(const std::string&)> ReadText)
    : Cat(Cat), LF(std::move(LF)), Analyzed(std::move(Analyzed)), ReadText(std::move(ReadText)) {}

const std::string& FindingFilter::text(const std::string& File) {
  auto It = Texts.find(File);
  if (It == Texts.end()) It = Texts.emplace(File, ReadText(File)).first;
  return It->second;
}

const NolintIndex& FindingFilter::nolintOf(const std::string& File) {
  auto It = Nolints.find(File);
  if (It == Nolints.end()) It = Nolints.emplace(File, NolintIndex(text(File))).first;
  return It->second;
}

void FindingFilter::accept(Finding& F, const FilterSetup& S, const std::string& File, RunResult& Out) {
  std::error_code EC;
  // By name first: a merge may run where the files are not.
  bool MainFile =
      F.Where.File == File || std::filesystem::equivalent(F.Where.File, File, EC) || Analyzed.count(F.Where.File);
  if (!MainFile && (S.HeaderFilter.empty() || !S.HeaderRegex || !S.HeaderRegex->match(llvm::StringRef(F.Where.File)))) return;
  text(F.Where.File);
  bool Kept = LF.keeps(F.Where);
  if (Kept)
    for (const auto& N : F.Notes) text(N.Where.File);
  if (nolintOf(F.Where.File).suppresses(F.Where.Line, F.CheckId)) {
    if (Kept) ++Out.Suppressed;
    return;
  }
  const auto* Rule = Cat.find(F.CheckId);
  F.Level = Rule ? Rule->DefaultSeverity : Severity::Warning;
  if (F.Level == Severity::Warning && S.WarningsAsErrorsGlobs.contains(F.CheckId)) F.Level = Severity::Error;
  (Kept ? Out.Findings : Out.OutsideLineFilter).push_back(std::move(F));
}

void finishRun(RunResult& R, const SourceText& Sources) {
  auto Key = [](const Finding& F) {
    return std::tie(F.Where.File, F.Where.Line, F.Where.Column, F.CheckId, F.Message);
  };
  // Of two duplicates, the one kept is the first by its notes too, so that the order in which files
  // finished (threads, shards) never decides which call path a report shows.
  auto NotesKey = [](const Finding& F) {
    std::vector<std::tuple<const std::string&, unsigned, unsigned, const std::string&>> K;
    for (const auto& N : F.Notes) K.emplace_back(N.Where.File, N.Where.Line, N.Where.Column, N.Message);
    return K;
  };
  for (auto* Fs : {&R.Findings, &R.OutsideLineFilter}) {
    std::sort(Fs->begin(), Fs->end(), [&](const Finding& A, const Finding& B) {
      if (Key(A) != Key(B)) return Key(A) < Key(B);
      return NotesKey(A) < NotesKey(B);
    });
    Fs->erase(
        std::unique(Fs->begin(), Fs->end(), [&](const Finding& A, const Finding& B) { return Key(A) == Key(B); }),
        Fs->end());
  }
  // A statement spread over a few lines is fingerprinted whole.
  assignFingerprints({&R.Findings, &R.OutsideLineFilter},
                     {[&](const SourcePoint& P) { return Sources.textFrom(P, 8); },
                      [&](const std::string& File, unsigned Line) { return Sources.line(File, Line); }});
  std::sort(R.FilesAnalyzed.begin(), R.FilesAnalyzed.end());
  std::sort(R.Failures.begin(), R.Failures.end(), [](const auto& A, const auto& B) { return A.File < B.File; });
}

}  // namespace tracelint
