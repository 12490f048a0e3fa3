// LSP-shaped JSON: per file {uri, diagnostics: [Diagnostic]}, ranges in 0-based UTF-16 units.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "output/Columns.h"
#include "output/Emitters.h"

namespace tracelint {

namespace {
nlohmann::json position(const SourcePoint& P, const SourceText& S) {
  const auto& L = S.line(P.File, P.Line);
  return {{"line", P.Line == 0 ? 0 : P.Line - 1}, {"character", lspCharacter(L, P.Line, P.Column)}};
}

int lspSeverity(Severity S) { return S == Severity::Error ? 1 : S == Severity::Warning ? 2 : 3; }
}  // namespace

std::string emitJson(const RunResult& R, const Catalogue&, const SourceText& S, const EmitOptions& O) {
  std::map<std::string, nlohmann::json> ByFile;
  for (const auto& F : R.FilesAnalyzed) ByFile[F] = nlohmann::json::array();
  for (const auto& F : R.Findings) {
    nlohmann::json D;
    D["range"] = {{"start", position(F.Where, S)}, {"end", position(findingEnd(F, S), S)}};
    D["severity"] = lspSeverity(F.Level);
    D["code"] = F.CheckId;
    D["codeDescription"] = {{"href", ruleHelpUri(O.DocsBase, F.CheckId)}};
    D["source"] = "tracelint";
    D["message"] = F.Message;
    D["relatedInformation"] = nlohmann::json::array();
    for (const auto& N : F.Notes) {
      nlohmann::json Range = {{"start", position(N.Where, S)}, {"end", position(wordEnd(N.Where, S), S)}};
      D["relatedInformation"].push_back(
          {{"location", {{"uri", fileUri(N.Where.File)}, {"range", Range}}}, {"message", N.Message}});
    }
    nlohmann::json Fixes = nlohmann::json::array();
    for (const auto& X : F.Fixes) {
      auto B = position(X.Begin, S);
      SourcePoint EndP = X.Begin;
      EndP.Column += X.Length;
      Fixes.push_back({{"uri", fileUri(X.Begin.File)},
                       {"range", {{"start", B}, {"end", position(EndP, S)}}},
                       {"newText", X.Replacement}});
    }
    D["data"] = {{"fixes", Fixes},
                 {"tracedFunction", F.TracedFunction},
                 {"tracedFunctionLocation", F.TracedFunctionLocation},
                 {"entity", F.Entity},
                 {"fingerprint", F.Fingerprint}};
    if (F.Runtime) {
      D["data"]["confirmed"] = F.Runtime->Confirmed;
      if (F.Runtime->Confirmed) D["data"]["evidence"] = F.Runtime->Evidence;
    }
    ByFile[F.Where.File].push_back(D);
  }
  nlohmann::json Out = nlohmann::json::array();
  for (auto& [File, Diags] : ByFile) Out.push_back({{"uri", fileUri(File)}, {"diagnostics", Diags}});
  nlohmann::json Doc = {{"version", 1}, {"tool", "tracelint"}, {"toolVersion", O.ToolVersion}, {"files", Out}};
  nlohmann::json Failed = nlohmann::json::array();
  for (const auto& F : R.Failures) Failed.push_back({{"uri", fileUri(F.File)}, {"reason", F.Reason}});
  Doc["failures"] = Failed;
  Doc["suppressed"] = R.Suppressed;
  Doc["baselined"] = R.Accepted.size();
  return Doc.dump(2) + "\n";
}

}  // namespace tracelint
