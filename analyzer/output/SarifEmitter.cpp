// SARIF 2.1.0 as GitHub code scanning reads it: rules[] from the catalogue, one location per
// result, notes as relatedLocations, repository-relative URIs, the finding's fingerprint, and
// files that failed as toolExecutionNotifications.
#include <cctype>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "output/Columns.h"
#include "output/Emitters.h"

namespace tracelint {

namespace {
std::string relativeUri(const std::string& File, const std::string& Root) {
  namespace fs = std::filesystem;
  std::error_code EC;
  auto Abs = fs::absolute(File, EC).lexically_normal();
  if (!Root.empty()) {
    auto Rel = Abs.lexically_relative(fs::absolute(Root, EC).lexically_normal());
    if (!Rel.empty() && Rel.native().rfind("..", 0) != 0) return percentEncodePath(Rel.generic_string());
  }
  return "file://" + percentEncodePath(Abs.generic_string());
}

nlohmann::json location(const SourcePoint& P, const SourcePoint& End, const SourceText& S, const std::string& Root) {
  const auto& L = S.line(P.File, P.Line);
  nlohmann::json Region = {{"startLine", std::max(1u, P.Line)}, {"startColumn", sarifColumn(L, P.Line, P.Column)}};
  if (End.Line >= P.Line && End.Line != 0) {
    Region["endLine"] = End.Line;
    Region["endColumn"] = sarifColumn(S.line(End.File, End.Line), End.Line, End.Column);
  }
  auto Uri = relativeUri(P.File, Root);
  nlohmann::json Loc = {{"physicalLocation", {{"artifactLocation", {{"uri", Uri}}}, {"region", Region}}}};
  if (Uri.rfind("file://", 0) != 0) Loc["physicalLocation"]["artifactLocation"]["uriBaseId"] = "%SRCROOT%";
  return Loc;
}

// SARIF wants a rule's name to differ from its id (SARIF1001): trace-host-mutation is
// TraceHostMutation.
std::string pascalCase(const std::string& Id) {
  std::string Out;
  bool Upper = true;
  for (char C : Id) {
    if (C == '-' || C == '_' || C == '.') {
      Upper = true;
      continue;
    }
    Out += Upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(C))) : C;
    Upper = false;
  }
  return Out;
}

// "file:line" with the file relative to Root when it lies beneath (SARIF properties hold no
// machine's absolute paths).
std::string relativeLocation(const std::string& Location, const std::string& Root) {
  auto Colon = Location.rfind(':');
  if (Colon == std::string::npos || Root.empty()) return Location;
  namespace fs = std::filesystem;
  std::error_code EC;
  auto File = fs::path(Location.substr(0, Colon));
  if (!File.is_absolute()) return Location;
  auto Rel = File.lexically_normal().lexically_relative(fs::absolute(Root, EC).lexically_normal());
  if (Rel.empty() || Rel.native().rfind("..", 0) == 0) return Location;
  return Rel.generic_string() + Location.substr(Colon);
}

// SARIF message text with embedded links ("[text](id)") to the related locations, so that a viewer
// such as GitHub shows the notes ("traced here") with the message. '[' and ']' of the plain text are
// escaped, as SARIF's embedded-link syntax requires.
std::string messageWithNoteLinks(const Finding& F) {
  auto Escape = [](const std::string& T) {
    std::string Out;
    for (char C : T) {
      if (C == '[' || C == ']' || C == '\\') Out += '\\';
      Out += C;
    }
    return Out;
  };
  if (F.Notes.empty()) return F.Message;
  std::string Text = Escape(F.Message) + " (";
  for (std::size_t I = 0; I < F.Notes.size(); ++I)
    Text += (I ? "; " : "") + std::string("[") + Escape(F.Notes[I].Message) + "](" + std::to_string(I) + ")";
  return Text + ")";
}

// SARIF's result levels are our severity names.
const char* level(Severity S) { return severityName(S); }

}  // namespace

std::string emitSarif(const RunResult& R, const Catalogue& C, const SourceText& S, const EmitOptions& O) {
  nlohmann::json Rules = nlohmann::json::array();
  std::map<std::string, int> RuleIndex;
  for (const auto& Rule : C.rules()) {
    RuleIndex[Rule.Id] = static_cast<int>(Rules.size());
    Rules.push_back({{"id", Rule.Id},
                     {"name", pascalCase(Rule.Id)},
                     {"shortDescription", {{"text", Rule.Summary}}},
                     {"fullDescription", {{"text", Rule.Description}}},
                     {"help", {{"text", Rule.Description}, {"markdown", Rule.Description}}},
                     {"helpUri", ruleHelpUri(O.DocsBase, Rule.Id)},
                     {"defaultConfiguration", {{"level", level(Rule.DefaultSeverity)}}},
                     {"properties", {{"precision", Rule.Precision}, {"tags", {"tracelint", "traced-functions"}}}}});
  }
  nlohmann::json Results = nlohmann::json::array();
  auto Emit = [&](const Finding& F, bool InBaseline) {
    nlohmann::json Res = {{"ruleId", F.CheckId},
                          {"level", level(F.Level)},
                          {"message", {{"text", messageWithNoteLinks(F)}}},
                          {"locations", {location(F.Where, findingEnd(F, S), S, O.RepoRoot)}}};
    if (!F.Fingerprint.empty()) Res["partialFingerprints"] = {{"tracelint/v2", F.Fingerprint}};
    if (RuleIndex.count(F.CheckId)) Res["ruleIndex"] = RuleIndex[F.CheckId];
    // An accepted finding stays in the log, suppressed: code scanning would close a finding that
    // disappears from it as fixed.
    if (InBaseline)
      Res["suppressions"] = {{{"kind", "external"}, {"status", "accepted"}, {"justification", "in the baseline"}}};
    Res["properties"] = {{"tracedFunction", F.TracedFunction},
                         {"tracedFunctionLocation", relativeLocation(F.TracedFunctionLocation, O.RepoRoot)},
                         {"entity", F.Entity},
                         // The message without the links to the notes, for tools that join reports.
                         {"plainMessage", F.Message}};
    if (F.Runtime) {
      Res["properties"]["confirmed"] = F.Runtime->Confirmed;
      if (F.Runtime->Confirmed) Res["properties"]["evidence"] = F.Runtime->Evidence;
    }
    if (!F.Notes.empty()) {
      nlohmann::json Related = nlohmann::json::array();
      int Id = 0;
      for (const auto& N : F.Notes) {
        auto L = location(N.Where, wordEnd(N.Where, S), S, O.RepoRoot);
        L["id"] = Id++;
        L["message"] = {{"text", N.Message}};
        Related.push_back(L);
      }
      Res["relatedLocations"] = Related;
    }
    Results.push_back(Res);
  };
  for (const auto& F : R.Findings) Emit(F, false);
  for (const auto& F : R.Accepted) Emit(F, true);
  nlohmann::json Notifications = nlohmann::json::array();
  for (const auto& F : R.Failures) {
    Notifications.push_back(
        {{"level", "error"},
         {"message", {{"text", F.Reason}}},
         {"locations", {{{"physicalLocation", {{"artifactLocation", {{"uri", relativeUri(F.File, O.RepoRoot)}}}}}}}}});
  }
  nlohmann::json Run = {
      {"tool",
       {{"driver",
         {{"name", O.ToolName},
          {"version", O.ToolVersion},
          {"informationUri", O.DocsBase + "/rules/README.md"},
          {"rules", Rules}}}}},
      {"results", Results},
      {"invocations", {{{"executionSuccessful", R.Failures.empty()}, {"toolExecutionNotifications", Notifications}}}}};
  if (!O.RepoRoot.empty()) {
    std::error_code EC;
    auto Root = std::filesystem::absolute(O.RepoRoot, EC).lexically_normal().generic_string();
    if (!Root.ends_with("/")) Root += "/";
    Run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", "file://" + percentEncodePath(Root)}}}};
  }
  nlohmann::json Doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", {Run}}};
  return Doc.dump(2) + "\n";
}

}  // namespace tracelint
