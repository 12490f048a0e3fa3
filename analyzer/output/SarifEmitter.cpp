// SARIF 2.1.0 as GitHub code scanning reads it: rules[] from the catalogue, one location per
// result, notes as relatedLocations, repository-relative URIs, a namespaced stable fingerprint, and
// files that failed as toolExecutionNotifications.
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "output/Columns.h"
#include "output/Emitters.h"

namespace tracelint {

namespace {
std::string relativeUri(const std::string &File, const std::string &Root) {
  namespace fs = std::filesystem;
  std::error_code EC;
  auto Abs = fs::absolute(File, EC).lexically_normal();
  if (!Root.empty()) {
    auto Rel = Abs.lexically_relative(fs::absolute(Root, EC).lexically_normal());
    if (!Rel.empty() && Rel.native().rfind("..", 0) != 0) return percentEncodePath(Rel.generic_string());
  }
  return "file://" + percentEncodePath(Abs.generic_string());
}

nlohmann::json location(const SourcePoint &P, const SourceText &S, const std::string &Root) {
  const auto &L = S.line(P.File, P.Line);
  nlohmann::json Loc = {{"physicalLocation",
                         {{"artifactLocation", {{"uri", relativeUri(P.File, Root)}}},
                          {"region", {{"startLine", std::max(1u, P.Line)}, {"startColumn", sarifColumn(L, P.Line, P.Column)}}}}}};
  if (relativeUri(P.File, Root).rfind("file://", 0) != 0)
    Loc["physicalLocation"]["artifactLocation"]["uriBaseId"] = "%SRCROOT%";
  return Loc;
}

const char *level(Severity S) { return S == Severity::Error ? "error" : S == Severity::Warning ? "warning" : "note"; }

// Stable across runs and line moves: rule, file, traced function, entity and the trimmed source
// line (not its number).
std::string fingerprint(const Finding &F, const SourceText &S, const std::string &Root) {
  auto L = S.line(F.Where.File, F.Where.Line);
  auto B = L.find_first_not_of(" \t");
  L = B == std::string::npos ? "" : L.substr(B);
  std::string Key = F.CheckId + "|" + relativeUri(F.Where.File, Root) + "|" + F.TracedFunction + "|" + F.Entity + "|" + L;
  // FNV-1a 64: deterministic across platforms and library versions, unlike std::hash.
  std::uint64_t H = 1469598103934665603ull;
  for (unsigned char C : Key) {
    H ^= C;
    H *= 1099511628211ull;
  }
  char Buf[17];
  std::snprintf(Buf, sizeof Buf, "%016llx", static_cast<unsigned long long>(H));
  return Buf;
}
}  // namespace

std::string emitSarif(const RunResult &R, const Catalogue &C, const SourceText &S, const EmitOptions &O) {
  nlohmann::json Rules = nlohmann::json::array();
  std::map<std::string, int> RuleIndex;
  for (const auto &Rule : C.rules()) {
    RuleIndex[Rule.Id] = static_cast<int>(Rules.size());
    Rules.push_back({{"id", Rule.Id},
                     {"name", Rule.Id},
                     {"shortDescription", {{"text", Rule.Summary}}},
                     {"fullDescription", {{"text", Rule.Description}}},
                     {"help", {{"text", Rule.Description}, {"markdown", Rule.Description}}},
                     {"helpUri", ruleHelpUri(Rule.Id)},
                     {"defaultConfiguration", {{"level", level(Rule.DefaultSeverity)}}},
                     {"properties", {{"precision", Rule.Precision}, {"tags", {"tracelint", "traced-functions"}}}}});
  }
  nlohmann::json Results = nlohmann::json::array();
  for (const auto &F : R.Findings) {
    nlohmann::json Res = {{"ruleId", F.CheckId},
                          {"level", level(F.Level)},
                          {"message", {{"text", F.Message}}},
                          {"locations", {location(F.Where, S, O.RepoRoot)}},
                          {"partialFingerprints", {{"tracelint/v1", fingerprint(F, S, O.RepoRoot)}}}};
    if (RuleIndex.count(F.CheckId)) Res["ruleIndex"] = RuleIndex[F.CheckId];
    Res["properties"] = {{"tracedFunction", F.TracedFunction},
                         {"tracedFunctionLocation", F.TracedFunctionLocation},
                         {"entity", F.Entity}};
    if (!F.Notes.empty()) {
      nlohmann::json Related = nlohmann::json::array();
      int Id = 0;
      for (const auto &N : F.Notes) {
        auto L = location(N.Where, S, O.RepoRoot);
        L["id"] = Id++;
        L["message"] = {{"text", N.Message}};
        Related.push_back(L);
      }
      Res["relatedLocations"] = Related;
    }
    Results.push_back(Res);
  }
  nlohmann::json Notifications = nlohmann::json::array();
  for (const auto &F : R.Failures) {
    Notifications.push_back({{"level", "error"},
                             {"message", {{"text", F.Reason}}},
                             {"locations", {{{"physicalLocation", {{"artifactLocation", {{"uri", relativeUri(F.File, O.RepoRoot)}}}}}}}}});
  }
  nlohmann::json Run = {
      {"tool",
       {{"driver",
         {{"name", "tracelint"}, {"version", O.ToolVersion}, {"informationUri", "https://github.com/tracelint/tracelint"}, {"rules", Rules}}}}},
      {"results", Results},
      {"invocations", {{{"executionSuccessful", R.Failures.empty()}, {"toolExecutionNotifications", Notifications}}}}};
  if (!O.RepoRoot.empty()) {
    std::error_code EC;
    auto Root = std::filesystem::absolute(O.RepoRoot, EC).lexically_normal().generic_string();
    if (!Root.ends_with("/")) Root += "/";
    Run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", "file://" + percentEncodePath(Root)}}}};
  }
  nlohmann::json Doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", {Run}}};
  return Doc.dump(2) + "\n";
}

std::string emitFixesYaml(const RunResult &R, const std::string &MainSourceFile) {
  auto Quote = [](const std::string &S) {
    std::string Out = "'";
    for (char C : S) Out += C == '\'' ? std::string("''") : std::string(1, C);
    return Out + "'";
  };
  std::string Y = "---\nMainSourceFile: " + Quote(MainSourceFile) + "\nDiagnostics:\n";
  bool Any = false;
  for (const auto &F : R.Findings) {
    if (F.Fixes.empty()) continue;
    Any = true;
    Y += "  - DiagnosticName:  " + F.CheckId + "\n    DiagnosticMessage:\n      Message:         " + Quote(F.Message) +
         "\n      FilePath:        " + Quote(F.Where.File) + "\n      FileOffset:      0\n      Replacements:\n";
    for (const auto &X : F.Fixes) {
      Y += "        - FilePath:        " + Quote(X.Begin.File) + "\n          Offset:          " +
           std::to_string(X.FileOffset) + "\n          Length:          " + std::to_string(X.Length) +
           "\n          ReplacementText: " + Quote(X.Replacement) + "\n";
    }
    Y += "    Level:           Warning\n";
  }
  if (!Any) Y = "---\nMainSourceFile: " + Quote(MainSourceFile) + "\nDiagnostics:     []\n";
  return Y + "...\n";
}

}  // namespace tracelint
