#include "lsp/LspServer.h"

#include <cctype>
#include <filesystem>
#include <iostream>

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
  return Out;
}

int LspServer::run() {
  for (;;) {
    std::string Body, Error;
    switch (T.read(Body, Error)) {
      case LspTransport::ReadStatus::EndOfInput:
        return ShutDown ? 0 : 1;
      case LspTransport::ReadStatus::Broken:
        std::cerr << "tracelint lsp: error: malformed input: " << Error << "; stopping\n";
        return 1;
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
    if (Exit) return ShutDown ? 0 : 1;
  }
}

void LspServer::handle(const nlohmann::json& Message) {
  if (!Message.is_object() || !Message.contains("method") || !Message["method"].is_string()) {
    // A response to a request of ours (we send none) is ignored; anything else is not JSON-RPC.
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
      reply(Id, {{"capabilities",
                  {{"textDocumentSync", {{"openClose", true}, {"change", 0}, {"save", {{"includeText", false}}}}},
                   {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
                   {"hoverProvider", true}}},
                 {"serverInfo", {{"name", "tracelint"}, {"version", Hooks.Version}}}});
    } else if (Method == "shutdown") {
      ShutDown = true;
      reply(Id, nullptr);
    } else if (Method == "textDocument/didOpen" || Method == "textDocument/didSave") {
      analyzeAndPublish(documentUri(Params));
    } else if (Method == "textDocument/didClose") {
      auto Uri = documentUri(Params);
      Published.erase(Uri);
      notify("textDocument/publishDiagnostics", {{"uri", Uri}, {"diagnostics", nlohmann::json::array()}});
    } else if (Method == "textDocument/codeAction") {
      reply(Id, codeActions(documentUri(Params), member(Params, "range", "params")));
    } else if (Method == "textDocument/hover") {
      reply(Id, hover(documentUri(Params), member(Params, "position", "params")));
    } else if (IsRequest) {
      replyError(Id, kMethodNotFound, "tracelint does not implement '" + Method + "'");
    }
    // Other notifications (initialized, didChange, $/...) need nothing: analysis follows saves.
  } catch (const BadParams& E) {
    if (IsRequest)
      replyError(Id, kInvalidParams, Method + ": " + E.What);
    else
      std::cerr << "tracelint lsp: warning: " << Method << ": " << E.What << "; ignored\n";
  }
}

void LspServer::reply(const nlohmann::json& Id, nlohmann::json Result) {
  T.write(nlohmann::json{{"jsonrpc", "2.0"}, {"id", Id}, {"result", std::move(Result)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void LspServer::replyError(const nlohmann::json& Id, int Code, const std::string& Message) {
  T.write(nlohmann::json{{"jsonrpc", "2.0"}, {"id", Id}, {"error", {{"code", Code}, {"message", Message}}}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void LspServer::notify(const std::string& Method, nlohmann::json Params) {
  T.write(nlohmann::json{{"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void LspServer::analyzeAndPublish(const std::string& Uri) {
  auto Path = pathFromFileUri(Uri);
  if (Path.empty()) {
    notify("window/logMessage", {{"type", 3}, {"message", "tracelint: not a file URI, not analyzed: " + Uri}});
    return;
  }
  auto Result = Hooks.Analyze(Path);
  for (const auto& P : Result.Problems) notify("window/showMessage", {{"type", 1}, {"message", "tracelint: " + P}});
  // The document's own diagnostics go under the client's URI for it, which may spell the path
  // differently (a link, other percent-encoding); findings in headers keep theirs.
  auto Own = analysisUri(Path);
  nlohmann::json Mine = nlohmann::json::array();
  for (const auto& F : Result.Files) {
    if (F.value("uri", "") == Own) {
      for (const auto& D : F["diagnostics"]) Mine.push_back(D);
      continue;
    }
    Published[F["uri"]] = F["diagnostics"];
    notify("textDocument/publishDiagnostics", {{"uri", F["uri"]}, {"diagnostics", F["diagnostics"]}});
  }
  Published[Uri] = Mine;
  notify("textDocument/publishDiagnostics", {{"uri", Uri}, {"diagnostics", Mine}});
}

nlohmann::json LspServer::codeActions(const std::string& Uri, const nlohmann::json& Range) {
  // Offered for every diagnostic on the lines of the range, as editors ask for the cursor's line.
  unsigned FirstLine = position(member(Range, "start", "range"), "range.start").first;
  unsigned LastLine = position(member(Range, "end", "range"), "range.end").first;
  nlohmann::json Actions = nlohmann::json::array();
  auto It = Published.find(Uri);
  if (It == Published.end()) return Actions;
  auto Own = analysisUri(pathFromFileUri(Uri));
  for (const auto& D : It->second) {
    const auto& Fixes = D["data"]["fixes"];
    unsigned Line = D["range"]["start"]["line"], EndLine = D["range"]["end"]["line"];
    if (Fixes.empty() || EndLine < FirstLine || Line > LastLine) continue;
    nlohmann::json Changes = nlohmann::json::object();
    for (const auto& X : Fixes) {
      std::string FixUri = X["uri"] == Own ? Uri : X["uri"].get<std::string>();
      if (!Changes.contains(FixUri)) Changes[FixUri] = nlohmann::json::array();
      Changes[FixUri].push_back({{"range", X["range"]}, {"newText", X["newText"]}});
    }
    Actions.push_back({{"title", "Apply tracelint's fix for " + D["code"].get<std::string>()},
                       {"kind", "quickfix"},
                       {"diagnostics", {D}},
                       {"isPreferred", true},
                       {"edit", {{"changes", Changes}}}});
  }
  return Actions;
}

nlohmann::json LspServer::hover(const std::string& Uri, const nlohmann::json& Position) {
  auto [Line, Char] = position(Position, "position");
  auto It = Published.find(Uri);
  if (It == Published.end()) return nullptr;
  for (const auto& D : It->second) {
    const auto &S = D["range"]["start"], &E = D["range"]["end"];
    bool After = Line > S["line"].get<unsigned>() ||
                 (Line == S["line"].get<unsigned>() && Char >= S["character"].get<unsigned>());
    bool Before = Line < E["line"].get<unsigned>() ||
                  (Line == E["line"].get<unsigned>() && Char <= E["character"].get<unsigned>());
    if (!After || !Before) continue;
    auto Code = D["code"].get<std::string>();
    std::string Text = "**" + Code + "**: " + D["message"].get<std::string>() + "\n\n";
    auto Page = Hooks.RuleMarkdown ? Hooks.RuleMarkdown(Code) : "";
    if (!Page.empty()) Text += Page + "\n\n";
    Text += "[" + Code + "](" + D["codeDescription"]["href"].get<std::string>() + ")";
    return {{"contents", {{"kind", "markdown"}, {"value", Text}}}, {"range", D["range"]}};
  }
  return nullptr;
}

}  // namespace tracelint
