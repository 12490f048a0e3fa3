#pragma once
// `tracelint lsp`: a Language Server over stdio. Diagnostics are published when a document is
// opened or saved (the analysis reads the file on disk, with its compile command, like the CLI),
// fix-its are offered as quick-fix code actions, and hovering a diagnostic shows its rule's page.
// The server knows no Clang: the analysis and the rule pages come in as hooks, so what it
// publishes is exactly the CLI's JSON report for the file.
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lsp/Transport.h"

namespace tracelint {

struct LspAnalysis {
  nlohmann::json Files = nlohmann::json::array();  // the JSON report's "files": [{uri, diagnostics}]
  std::vector<std::string> Problems;               // why the file could not be (fully) analyzed
};

struct LspHooks {
  std::function<LspAnalysis(const std::string& Path)> Analyze;
  std::function<std::string(const std::string& RuleId)> RuleMarkdown;  // "" for an unknown rule
  std::string Version;
};

class LspServer {
 public:
  LspServer(LspTransport& T, LspHooks Hooks) : T(T), Hooks(std::move(Hooks)) {}
  // Serves until the client sends exit or the input ends; returns the process exit code (0 after
  // shutdown and exit, 1 otherwise, as the protocol asks).
  int run();

 private:
  void handle(const nlohmann::json& Message);
  void reply(const nlohmann::json& Id, nlohmann::json Result);
  void replyError(const nlohmann::json& Id, int Code, const std::string& Message);
  void notify(const std::string& Method, nlohmann::json Params);
  void analyzeAndPublish(const std::string& Uri);
  nlohmann::json codeActions(const std::string& Uri, const nlohmann::json& Range);
  nlohmann::json hover(const std::string& Uri, const nlohmann::json& Position);

  LspTransport& T;
  LspHooks Hooks;
  bool Initialized = false, ShutDown = false, Exit = false;
  std::map<std::string, nlohmann::json> Published;  // the diagnostics last published, by URI
};

// The path of a file:// URI (percent-decoded); "" for any other URI.
std::string pathFromFileUri(const std::string& Uri);

}  // namespace tracelint
