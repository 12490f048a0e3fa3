#include "lsp/LspServer.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "output/Emitters.h"

namespace tracelint {

namespace {

// JSON-RPC and LSP error codes.
constexpr int kParseError = -32700, kInvalidRequest = -32600, kMethodNotFound = -32601, kInvalidParams = -32602,
              kServerNotInitialized = -32002;

// Thrown for a request whose parameters are not what the protocol says; becomes InvalidParams.
struct BadParams {
  std::string What;
};

const nlohmann::json& member(const nlohmann::json& J, const char* Key, const char* Where) {
  if (!J.is_object() || !J.contains(Key)) throw BadParams{std::string(Where) + " has no '" + Key + "'"};
  return J[Key];
}

std::string documentUri(const nlohmann::json& Params) {
  const auto& U = member(member(Params, "textDocument", "params"), "uri", "textDocument");
  if (!U.is_string()) throw BadParams{"textDocument.uri is not a string"};
  return U.get<std::string>();
}

unsigned number(const nlohmann::json& J, const char* Key, const char* Where) {
  const auto& V = member(J, Key, Where);
  if (!V.is_number_unsigned()) throw BadParams{std::string(Where) + "." + Key + " is not a non-negative integer"};
  // A position is a uinteger (below 2^31) in the protocol: a bigger one must not wrap around.
  if (V.get<std::uint64_t>() > INT32_MAX) throw BadParams{std::string(Where) + "." + Key + " is out of range"};
  return V.get<unsigned>();
}

std::pair<unsigned, unsigned> position(const nlohmann::json& P, const char* Where) {
  return {number(P, "line", Where), number(P, "character", Where)};
}

// The URI the analysis names a file by (an absolute, normalized real path).
std::string analysisUri(const std::string& Path) {
  std::error_code EC;
  auto Real = std::filesystem::canonical(Path, EC);
  return fileUri(EC ? Path : Real.string());
}

}  // namespace

std::string pathFromFileUri(const std::string& Uri) {
  const std::string Scheme = "file://";
  if (Uri.compare(0, Scheme.size(), Scheme) != 0) return "";
  std::string Rest = Uri.substr(Scheme.size());
  auto Slash = Rest.find('/');
  if (Slash == std::string::npos) return "";
  Rest = Rest.substr(Slash);  // drops an authority ("localhost")
  std::string Out;
  for (std::size_t I = 0; I < Rest.size(); ++I) {
    auto Hex = [](char C) { return std::isxdigit(static_cast<unsigned char>(C)) != 0; };
    if (Rest[I] == '%' && I + 2 < Rest.size() && Hex(Rest[I + 1]) && Hex(Rest[I + 2])) {
      Out += static_cast<char>(std::stoi(Rest.substr(I + 1, 2), nullptr, 16));
      I += 2;
    } else {
      Out += Rest[I];
    }
  }
  // "%00" would cut the path short at the first system call and name another file.
  if (Out.find('\0') != std::string::npos) return "";
  return Out;
}

int LspServer::run() {
  Analyzer = std::thread([this] { analysisLoop(); });
  auto Stop = [this](int Code) {
    {
      std::lock_guard<std::mutex> L(Mu);
      Stopping = true;
    }
    Wake.notify_all();
    Analyzer.join();
    return Code;
  };
  for (;;) {
    std::string Body, Error;
    switch (T.read(Body, Error)) {
      case LspTransport::ReadStatus::EndOfInput:
        return Stop(ShutDown ? 0 : 1);
      case LspTransport::ReadStatus::Broken:
        std::cerr << "tracelint lsp: error: malformed input: " << Error << "; stopping\n";
        return Stop(1);
      case LspTransport::ReadStatus::Message:
        break;
    }
    nlohmann::json Message;
    try {
      Message = nlohmann::json::parse(Body);
    } catch (const std::exception& E) {
      replyError(nullptr, kParseError, std::string("the message is not JSON: ") + E.what());
      continue;
    }
    handle(Message);
    if (Exit) return Stop(ShutDown ? 0 : 1);
  }
}

void LspServer::handle(const nlohmann::json& Message) {
  if (!Message.is_object() || !Message.contains("method") || !Message["method"].is_string()) {
    // A response to a request of ours (progress tokens) needs nothing; anything else is not JSON-RPC.
    if (Message.is_object() && Message.contains("id") && (Message.contains("result") || Message.contains("error")))
      return;
    replyError(Message.is_object() && Message.contains("id") ? Message["id"] : nlohmann::json(), kInvalidRequest,
               "not a JSON-RPC request or notification (no string 'method')");
    return;
  }
  const auto Method = Message["method"].get<std::string>();
  const bool IsRequest = Message.contains("id");
  const nlohmann::json Id = IsRequest ? Message["id"] : nlohmann::json();
  const nlohmann::json Params = Message.value("params", nlohmann::json::object());
  if (Method == "exit") {
    Exit = true;
    return;
  }
  if (!Initialized && Method != "initialize") {
    if (IsRequest) replyError(Id, kServerNotInitialized, "the server has not been initialized");
    return;
  }
  if (ShutDown) {
    if (IsRequest) replyError(Id, kInvalidRequest, "the server is shut down; only 'exit' is accepted");
    return;
  }
  try {
    if (Method == "initialize") {
      Initialized = true;
      auto Caps = Params.value("capabilities", nlohmann::json::object());
      auto Flag = [&](const char* Area, const char* Sub, const char* Key) {
        if (!Caps.is_object() || !Caps.contains(Area) || !Caps[Area].is_object()) return false;
        const auto* J = &Caps[Area];
        if (Sub) {
          if (!J->contains(Sub) || !(*J)[Sub].is_object()) return false;
          J = &(*J)[Sub];
        }
        return J->contains(Key) && (*J)[Key] == true;
      };
      ClientProgress = Flag("window", nullptr, "workDoneProgress");
      ClientVersionedEdits = Flag("workspace", "workspaceEdit", "documentChanges");
      // Incremental sync (2): the editor sends only what changed, and the server keeps the text.
      reply(Id, {{"capabilities",
                  {{"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", true}}}}},
                   {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
                   {"hoverProvider", true}}},
                 {"serverInfo", {{"name", "tracelint"}, {"version", Hooks.Version}}}});
    } else if (Method == "shutdown") {
      ShutDown = true;
      reply(Id, nullptr);
    } else if (Method == "textDocument/didOpen") {
      const auto& Doc = member(Params, "textDocument", "params");
      auto Uri = documentUri(Params);
      const auto& Text = member(Doc, "text", "textDocument");
      if (!Text.is_string()) throw BadParams{"textDocument.text is not a string"};
      auto Version = member(Doc, "version", "textDocument");
      if (!Version.is_number_integer()) throw BadParams{"textDocument.version is not an integer"};
      if (pathFromFileUri(Uri).empty()) {
        notify("window/logMessage", {{"type", 3}, {"message", "tracelint: not a file URI, not analyzed: " + Uri}});
        return;
      }
      {
        std::lock_guard<std::mutex> L(Mu);
        Documents[Uri] = {Text.get<std::string>(), Version.get<std::int64_t>()};
        LastEdit.erase(Uri);  // nothing to wait for: analyze at once
      }
      schedule(Uri);
    } else if (Method == "textDocument/didChange") {
      const auto& Doc = member(Params, "textDocument", "params");
      auto Uri = documentUri(Params);
      auto Version = member(Doc, "version", "textDocument");
      if (!Version.is_number_integer()) throw BadParams{"textDocument.version is not an integer"};
      const auto& Changes = member(Params, "contentChanges", "params");
      if (!Changes.is_array()) throw BadParams{"contentChanges is not an array"};
      {
        std::lock_guard<std::mutex> L(Mu);
        auto It = Documents.find(Uri);
        if (It == Documents.end()) throw BadParams{"didChange for a document that is not open: " + Uri};
        auto Text = It->second.Text;
        std::string Error;
        for (const auto& C : Changes)
          if (!applyContentChange(Text, C, Error)) {
            // The server's text no longer matches the editor's: forget it rather than fix wrongly.
            Documents.erase(It);
            Published.erase(Uri);
            throw BadParams{Error + "; the document is closed on the server (reopen it)"};
          }
        It->second = {std::move(Text), Version.get<std::int64_t>()};
        LastEdit[Uri] = std::chrono::steady_clock::now();
      }
      schedule(Uri);
    } else if (Method == "textDocument/didSave") {
      auto Uri = documentUri(Params);
      {
        std::lock_guard<std::mutex> L(Mu);
        auto It = Documents.find(Uri);
        if (It != Documents.end() && Params.contains("text") && Params["text"].is_string())
          It->second.Text = Params["text"].get<std::string>();
        LastEdit.erase(Uri);
      }
      schedule(Uri);
    } else if (Method == "textDocument/didClose") {
      auto Uri = documentUri(Params);
      {
        std::lock_guard<std::mutex> L(Mu);
        Documents.erase(Uri);
        Published.erase(Uri);
        LastEdit.erase(Uri);
      }
      notify("textDocument/publishDiagnostics", {{"uri", Uri}, {"diagnostics", nlohmann::json::array()}});
    } else if (Method == "textDocument/codeAction") {
      reply(Id, codeActions(documentUri(Params), member(Params, "range", "params")));
    } else if (Method == "textDocument/hover") {
      reply(Id, hover(documentUri(Params), member(Params, "position", "params")));
    } else if (IsRequest) {
      replyError(Id, kMethodNotFound, "tracelint does not implement '" + Method + "'");
    }
    // Other notifications need nothing. $/cancelRequest among them: every request is answered at
    // once from the last analysis, so none is still running when its cancellation arrives.
  } catch (const BadParams& E) {
    if (IsRequest)
      replyError(Id, kInvalidParams, Method + ": " + E.What);
    else
      std::cerr << "tracelint lsp: warning: " << Method << ": " << E.What << "; ignored\n";
  }
}

void LspServer::send(const nlohmann::json& Message) {
  std::lock_guard<std::mutex> L(WriteMu);
  T.write(Message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void LspServer::reply(const nlohmann::json& Id, nlohmann::json Result) {
  send({{"jsonrpc", "2.0"}, {"id", Id}, {"result", std::move(Result)}});
}

void LspServer::replyError(const nlohmann::json& Id, int Code, const std::string& Message) {
  send({{"jsonrpc", "2.0"}, {"id", Id}, {"error", {{"code", Code}, {"message", Message}}}});
}

void LspServer::notify(const std::string& Method, nlohmann::json Params) {
  send({{"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}});
}

void LspServer::schedule(const std::string& Uri) {
  {
    std::lock_guard<std::mutex> L(Mu);
    if (std::find(Pending.begin(), Pending.end(), Uri) == Pending.end()) Pending.push_back(Uri);
  }
  Wake.notify_all();
}

void LspServer::analysisLoop() {
  std::unique_lock<std::mutex> L(Mu);
  for (;;) {
    Wake.wait(L, [&] { return Stopping || !Pending.empty(); });
    if (Stopping) return;
    // The first document that has settled; if none has, sleep until the earliest one will.
    auto Now = std::chrono::steady_clock::now();
    auto Settle = std::chrono::milliseconds(Hooks.SettleMilliseconds);
    auto Ready = Pending.end();
    auto Earliest = std::chrono::steady_clock::time_point::max();
    for (auto It = Pending.begin(); It != Pending.end(); ++It) {
      auto Edit = LastEdit.find(*It);
      auto At = Edit == LastEdit.end() ? Now : Edit->second + Settle;
      if (At <= Now) {
        Ready = It;
        break;
      }
      Earliest = std::min(Earliest, At);
    }
    if (Ready == Pending.end()) {
      Wake.wait_until(L, Earliest);
      continue;
    }
    auto Uri = *Ready;
    Pending.erase(Ready);
    L.unlock();
    analyze(Uri);
    L.lock();
  }
}

void LspServer::analyze(const std::string& Uri) {
  auto Path = pathFromFileUri(Uri);
  if (Path.empty()) {
    notify("window/logMessage", {{"type", 3}, {"message", "tracelint: not a file URI, not analyzed: " + Uri}});
    return;
  }
  std::optional<OpenDocument> Doc;
  {
    std::lock_guard<std::mutex> L(Mu);
    if (auto It = Documents.find(Uri); It != Documents.end()) Doc = It->second;
  }
  std::string Text = Doc ? Doc->Text : std::string();
  if (!Doc) {  // saved without being open: the file on disk is the text
    std::ifstream In(Path, std::ios::binary);
    std::stringstream SS;
    SS << In.rdbuf();
    Text = SS.str();
  }
  std::string Token;
  if (ClientProgress) {
    Token = "tracelint-analysis-" + std::to_string(NextRequestId);
    send({{"jsonrpc", "2.0"},
          {"id", "tracelint-" + std::to_string(NextRequestId++)},
          {"method", "window/workDoneProgress/create"},
          {"params", {{"token", Token}}}});
    notify("$/progress",
           {{"token", Token},
            {"value", {{"kind", "begin"}, {"title", "tracelint"}, {"message", Path}, {"cancellable", false}}}});
  }
  auto Result = Hooks.Analyze(Path, Text);
  if (!Token.empty()) notify("$/progress", {{"token", Token}, {"value", {{"kind", "end"}}}});
  std::lock_guard<std::mutex> L(Mu);
  // A newer text is waiting for its own analysis: this one's positions would be wrong in it.
  auto Now = Documents.find(Uri);
  if (Doc && (Now == Documents.end() || Now->second.Version != Doc->Version || Now->second.Text != Doc->Text)) return;
  // Each message pops up once; when it comes again (every save of a file that does not parse) it
  // goes to the log.
  auto Say = [&](const std::string& Text, int Type) {
    bool First = !Told[Text];
    Told[Text] = true;
    notify(First ? "window/showMessage" : "window/logMessage", {{"type", Type}, {"message", "tracelint: " + Text}});
  };
  for (const auto& P : Result.Problems) Say(P, 1);
  for (const auto& N : Result.Notes) Say(N, 3);
  // The document's own diagnostics go under the client's URI for it, which may spell the path
  // differently (a link, other percent-encoding); findings in headers keep theirs.
  auto Own = analysisUri(Path);
  nlohmann::json Mine = nlohmann::json::array();
  for (const auto& F : Result.Files) {
    if (F.value("uri", "") == Own) {
      for (const auto& D : F["diagnostics"]) Mine.push_back(D);
      continue;
    }
    if (Documents.count(F["uri"])) continue;  // an open header is published from its own text
    Published[F["uri"]] = {std::nullopt, std::string(), F["diagnostics"]};
    notify("textDocument/publishDiagnostics", {{"uri", F["uri"]}, {"diagnostics", F["diagnostics"]}});
  }
  Published[Uri] = {Doc ? std::optional<std::int64_t>(Doc->Version) : std::nullopt, Text, Mine};
  nlohmann::json Params = {{"uri", Uri}, {"diagnostics", Mine}};
  if (Doc) Params["version"] = Doc->Version;
  notify("textDocument/publishDiagnostics", Params);
}

nlohmann::json LspServer::codeActions(const std::string& Uri, const nlohmann::json& Range) {
  // Offered for every diagnostic on the lines of the range, as editors ask for the cursor's line.
  unsigned FirstLine = position(member(Range, "start", "range"), "range.start").first;
  unsigned LastLine = position(member(Range, "end", "range"), "range.end").first;
  nlohmann::json Actions = nlohmann::json::array();
  std::lock_guard<std::mutex> L(Mu);
  auto It = Published.find(Uri);
  if (It == Published.end()) return Actions;
  // A fix is offered only against the very text it was computed on: after an edit its positions
  // point elsewhere, and applying it would corrupt the buffer. The next analysis offers it again.
  auto Doc = Documents.find(Uri);
  if (Doc != Documents.end() && (It->second.Version != Doc->second.Version || It->second.Text != Doc->second.Text))
    return Actions;
  auto Own = analysisUri(pathFromFileUri(Uri));
  for (const auto& D : It->second.Diagnostics) {
    const auto& Fixes = D["data"]["fixes"];
    unsigned Line = D["range"]["start"]["line"], EndLine = D["range"]["end"]["line"];
    if (Fixes.empty() || EndLine < FirstLine || Line > LastLine) continue;
    nlohmann::json Changes = nlohmann::json::object();
    for (const auto& X : Fixes) {
      std::string FixUri = X["uri"] == Own ? Uri : X["uri"].get<std::string>();
      if (!Changes.contains(FixUri)) Changes[FixUri] = nlohmann::json::array();
      Changes[FixUri].push_back({{"range", X["range"]}, {"newText", X["newText"]}});
    }
    nlohmann::json Edit = {{"changes", Changes}};
    if (ClientVersionedEdits && Doc != Documents.end())  // the client then refuses it on another text
      Edit = {{"documentChanges",
               {{{"textDocument", {{"uri", Uri}, {"version", Doc->second.Version}}}, {"edits", Changes[Uri]}}}}};
    Actions.push_back({{"title", "Apply tracelint's fix for " + D["code"].get<std::string>()},
                       {"kind", "quickfix"},
                       {"diagnostics", {D}},
                       {"isPreferred", true},
                       {"edit", Edit}});
  }
  return Actions;
}

nlohmann::json LspServer::hover(const std::string& Uri, const nlohmann::json& Position) {
  auto [Line, Char] = position(Position, "position");
  std::lock_guard<std::mutex> L(Mu);
  auto It = Published.find(Uri);
  if (It == Published.end()) return nullptr;
  for (const auto& D : It->second.Diagnostics) {
    const auto &S = D["range"]["start"], &E = D["range"]["end"];
    bool After = Line > S["line"].get<unsigned>() ||
                 (Line == S["line"].get<unsigned>() && Char >= S["character"].get<unsigned>());
    bool Before = Line < E["line"].get<unsigned>() ||
                  (Line == E["line"].get<unsigned>() && Char <= E["character"].get<unsigned>());
    if (!After || !Before) continue;
    // The rule's one-line summary and a link to its page: a hover is read at a glance.
    auto Code = D["code"].get<std::string>();
    std::string Text = "**" + Code + "**: " + D["message"].get<std::string>() + "\n\n";
    auto Summary = Hooks.RuleSummary ? Hooks.RuleSummary(Code) : "";
    if (!Summary.empty()) Text += Summary + "\n\n";
    Text += "[" + Code + "](" + D["codeDescription"]["href"].get<std::string>() + ")";
    return {{"contents", {{"kind", "markdown"}, {"value", Text}}}, {"range", D["range"]}};
  }
  return nullptr;
}

}  // namespace tracelint
