#pragma once
// `tracelint lsp`: a Language Server over stdio. It follows the editor's buffers (didOpen, didChange
// in full and incremental form, didSave), analyzes the text the editor holds (through an overlay,
// as clangd does, never the possibly older file on disk), publishes diagnostics with the version of
// the text they were computed on, and offers fix-its as quick-fix code actions only while that
// version is still the editor's. Analyses run on a thread of their own, so hover, code actions and
// shutdown are answered while one runs; with a client that supports it, each analysis reports
// work-done progress. The server knows no Clang: the analysis and the rule summaries come in as
// hooks, so what it publishes is exactly the CLI's JSON report for the text.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lsp/Documents.h"
#include "lsp/Transport.h"

namespace tracelint {

struct LspAnalysis {
  nlohmann::json Files = nlohmann::json::array();  // the JSON report's "files": [{uri, diagnostics}]
  std::vector<std::string> Problems;               // why the file could not be (fully) analyzed
  std::vector<std::string> Notes;                  // said once per file (e.g. the fallback flags used)
};

struct LspHooks {
  // Analyzes the file at Path as if its text were Text.
  std::function<LspAnalysis(const std::string& Path, const std::string& Text)> Analyze;
  std::function<std::string(const std::string& RuleId)> RuleSummary;  // "" for an unknown rule
  std::string Version;
  // How long a document must stay unchanged before it is analyzed: keystrokes coalesce.
  unsigned SettleMilliseconds = 300;
};

class LspServer {
 public:
  LspServer(LspTransport& T, LspHooks Hooks) : T(T), Hooks(std::move(Hooks)) {}
  // Serves until the client sends exit or the input ends; returns the process exit code (0 after
  // shutdown and exit, 1 otherwise, as the protocol asks).
  int run();

 private:
  // What an analysis published for a document: the version and text it was computed on.
  struct Publication {
    std::optional<std::int64_t> Version;  // none for a file the editor does not have open
    std::string Text;
    nlohmann::json Diagnostics = nlohmann::json::array();
  };

  void handle(const nlohmann::json& Message);
  void reply(const nlohmann::json& Id, nlohmann::json Result);
  void replyError(const nlohmann::json& Id, int Code, const std::string& Message);
  void notify(const std::string& Method, nlohmann::json Params);
  void send(const nlohmann::json& Message);
  void schedule(const std::string& Uri);
  void analysisLoop();
  void analyze(const std::string& Uri);
  nlohmann::json codeActions(const std::string& Uri, const nlohmann::json& Range);
  nlohmann::json hover(const std::string& Uri, const nlohmann::json& Position);

  LspTransport& T;
  LspHooks Hooks;
  std::mutex WriteMu;  // one message at a time on the output
  bool Initialized = false, ShutDown = false, Exit = false;
  bool ClientProgress = false;        // the client accepts window/workDoneProgress/create
  bool ClientVersionedEdits = false;  // the client takes workspace edits bound to a document version
  std::int64_t NextRequestId = 1;

  // Shared with the analysis thread, under Mu.
  std::mutex Mu;
  std::condition_variable Wake;
  std::map<std::string, OpenDocument> Documents;  // by the client's URI
  std::map<std::string, std::chrono::steady_clock::time_point> LastEdit;
  std::deque<std::string> Pending;               // URIs to analyze, each once
  std::map<std::string, Publication> Published;  // the diagnostics last published, by URI
  std::map<std::string, bool> Told;              // messages already shown, by text
  bool Stopping = false;
  std::thread Analyzer;
};

// The path of a file:// URI (percent-decoded); "" for any other URI or one that decodes to a path
// holding a NUL byte.
std::string pathFromFileUri(const std::string& Uri);

}  // namespace tracelint
