#include "confirm/Confirm.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/JsonFile.h"
#include "output/Emitters.h"
#include "output/OutputFile.h"

namespace tracelint {

namespace {

// Line numbers are unsigned everywhere; a report's larger ones are errors, not wrapped values.
constexpr std::uint64_t kMaxLine = std::numeric_limits<unsigned>::max();

bool readJson(const std::string& Path, nlohmann::json& J, std::string& Error) {
  return readJsonFile(Path, "report", J, Error);
}

std::string uriToPath(const std::string& Uri, const std::string& Base) {
  std::string P = Uri;
  if (P.rfind("file://", 0) == 0) P = P.substr(7);
  std::string Out;
  for (std::size_t I = 0; I < P.size(); ++I) {
    if (P[I] == '%' && I + 2 < P.size()) {
      Out += static_cast<char>(std::stoi(P.substr(I + 1, 2), nullptr, 16));
      I += 2;
    } else {
      Out += P[I];
    }
  }
  if (!Out.empty() && Out[0] != '/' && !Base.empty()) Out = Base + "/" + Out;
  return Out;
}

std::string str(const nlohmann::json& J, const char* Key) {
  auto It = J.find(Key);
  return It != J.end() && It->is_string() ? It->get<std::string>() : "";
}

struct Site {
  std::string Path;
  unsigned First = 0, Last = 0;
};

// "path:line" or "path:first-last" -> normalized absolute path and line range.
Site splitLocation(const std::string& Loc) {
  auto Colon = Loc.rfind(':');
  if (Colon == std::string::npos) return {Loc, 0, 0};
  std::error_code EC;
  Site S;
  S.Path = std::filesystem::weakly_canonical(Loc.substr(0, Colon), EC).string();
  if (EC) S.Path = Loc.substr(0, Colon);
  try {
    auto Lines = Loc.substr(Colon + 1);
    auto Dash = Lines.find('-');
    S.First = static_cast<unsigned>(std::stoul(Lines.substr(0, Dash)));
    S.Last = Dash == std::string::npos ? S.First : static_cast<unsigned>(std::stoul(Lines.substr(Dash + 1)));
  } catch (...) {
  }
  return S;
}

bool samePath(const std::string& PA, const std::string& PB) {
  if (PA == PB) return true;
  // One side may be relative (a SARIF URI under %SRCROOT%): compare as path suffixes.
  auto Tail = [](const std::string& P) { return P.substr(P.find_last_of('/') + 1); };
  return Tail(PA) == Tail(PB) && (PA.ends_with("/" + PB) || PB.ends_with("/" + PA) ||
                                  PA.find('/') == std::string::npos || PB.find('/') == std::string::npos);
}

bool sameSite(const std::string& A, const std::string& B) {
  if (A.empty() || B.empty()) return false;
  auto SA = splitLocation(A), SB = splitLocation(B);
  if (SA.Last < SB.First || SB.Last < SA.First) return false;  // line ranges do not overlap
  return samePath(SA.Path, SB.Path);
}

// Can a finding and an observation be about the same code? Files first: the traced function's
// creation site, else the statement; a function of the same name in another file never joins.
// Then the same creation site, or the same function name within that file.
bool sameTracedFunction(const StaticItem& SI, const RuntimeItem& RI) {
  if (sameSite(SI.FunctionLocation, RI.FunctionLocation)) return true;
  if (SI.Function.empty() || SI.Function != RI.Function) return false;
  std::string StaticAt = !SI.FunctionLocation.empty() ? SI.FunctionLocation : SI.File.empty() ? "" : SI.File + ":0";
  const std::string& RuntimeAt = !RI.FunctionLocation.empty() ? RI.FunctionLocation : RI.Location;
  if (StaticAt.empty() || RuntimeAt.empty()) return true;  // nothing to tell the files apart
  return samePath(splitLocation(StaticAt).Path, splitLocation(RuntimeAt).Path);
}

// Names compared without parameter lists and template arguments: the runtime demangles
// "bump(int)::calls", the analyzer writes "bump()::calls".
std::string bareName(const std::string& N) {
  std::string Out;
  int Depth = 0;
  for (char C : N) {
    if (C == '(' || C == '<') ++Depth;
    if (Depth == 0) Out += C;
    if ((C == ')' || C == '>') && Depth > 0) --Depth;
  }
  return Out;
}

bool runtimeEntityIsNamed(const std::string& E) {
  return !(E.empty() || E.rfind("a variable of a caller's frame", 0) == 0 ||
           E.find("captured by reference #") != std::string::npos || E.rfind("<", 0) == 0);
}

bool looksLikeLocation(const std::string& E) {
  auto Colon = E.rfind(':');
  return Colon != std::string::npos && Colon + 1 < E.size() &&
         E.find_first_not_of("0123456789", Colon + 1) == std::string::npos;
}

bool entitiesCompatible(const StaticItem& SI, const std::string& Runtime) {
  const std::string& Static = SI.Entity;
  if (Static.empty() || !runtimeEntityIsNamed(Runtime)) return true;
  if (looksLikeLocation(Static) || looksLikeLocation(Runtime)) {
    if (sameSite(Static, Runtime)) return true;
    return std::any_of(SI.Related.begin(), SI.Related.end(),
                       [&](const std::string& R) { return sameSite(R, Runtime); });
  }
  auto S = bareName(Static), R = bareName(Runtime);
  return S == R || R.ends_with("::" + S) || S.ends_with("::" + R);
}

}  // namespace

unsigned ConfirmResult::confirmed() const {
  unsigned N = 0;
  for (int M : StaticMatch) N += M >= 0;
  return N;
}

unsigned ConfirmResult::missed() const {
  unsigned N = 0;
  for (bool M : RuntimeMatched) N += !M;
  return N;
}

namespace {
// The keys tracelint writes for joining: SARIF `properties` and JSON `data` carry the same ones.
void readJoinKeys(const nlohmann::json& From, StaticItem& S) {
  S.Function = str(From, "tracedFunction");
  S.FunctionLocation = str(From, "tracedFunctionLocation");
  S.Entity = str(From, "entity");
}
}  // namespace

bool loadStaticReport(const std::string& Path, std::vector<StaticItem>& Out, std::string& Error) {
  nlohmann::json J;
  if (!readJson(Path, J, Error)) return false;
  try {
    if (J.contains("runs")) {  // SARIF
      for (const auto& Run : J.at("runs")) {
        std::string Base;
        if (Run.contains("originalUriBaseIds") && Run["originalUriBaseIds"].contains("%SRCROOT%"))
          Base = uriToPath(str(Run["originalUriBaseIds"]["%SRCROOT%"], "uri"), "");
        while (!Base.empty() && Base.back() == '/') Base.pop_back();
        for (const auto& Res : Run.value("results", nlohmann::json::array())) {
          // A suppressed result is one the team accepted (the baseline): not a hazard to confirm.
          if (Res.contains("suppressions") && Res["suppressions"].is_array() && !Res["suppressions"].empty()) continue;
          StaticItem S;
          S.Rule = str(Res, "ruleId");
          auto Properties = Res.value("properties", nlohmann::json::object());
          S.Message = Properties.contains("plainMessage") ? str(Properties, "plainMessage")
                                                          : str(Res.value("message", nlohmann::json::object()), "text");
          const auto& Loc = Res.at("locations").at(0).at("physicalLocation");
          S.File = uriToPath(str(Loc.at("artifactLocation"), "uri"), Base);
          auto Region = Loc.value("region", nlohmann::json::object());
          auto Number = [&](const char* Key) {
            return Region.contains(Key) ? static_cast<unsigned>(boundedInteger(Region[Key], kMaxLine, Key)) : 0u;
          };
          S.Line = Number("startLine");
          S.Column = Number("startColumn");
          S.EndLine = Region.contains("endLine") ? Number("endLine") : S.Line;
          S.EndColumn = Number("endColumn");
          S.Fingerprint = str(Res.value("partialFingerprints", nlohmann::json::object()), "tracelint/v2");
          readJoinKeys(Res.value("properties", nlohmann::json::object()), S);
          for (const auto& Rel : Res.value("relatedLocations", nlohmann::json::array())) {
            const auto& P = Rel.value("physicalLocation", nlohmann::json::object());
            auto RelRegion = P.value("region", nlohmann::json::object());
            if (!P.contains("artifactLocation") || !RelRegion.contains("startLine")) continue;
            S.Related.push_back(uriToPath(str(P.at("artifactLocation"), "uri"), Base) + ":" +
                                std::to_string(boundedInteger(RelRegion["startLine"], kMaxLine, "startLine")));
          }
          Out.push_back(std::move(S));
        }
      }
      return true;
    }
    if (J.contains("files")) {  // tracelint's LSP-shaped JSON
      for (const auto& F : J.at("files")) {
        auto File = uriToPath(str(F, "uri"), "");
        for (const auto& D : F.at("diagnostics")) {
          StaticItem S;
          S.Rule = str(D, "code");
          S.File = File;
          auto Position = [&](const char* Which, const char* Key) {
            const auto& At = D.at("range").at(Which);
            std::string Name = std::string("range.") + Which + "." + Key;
            return At.contains(Key) ? static_cast<unsigned>(boundedInteger(At[Key], kMaxLine - 1, Name)) + 1 : 0u;
          };
          S.Line = Position("start", "line");
          if (S.Line == 0) throw std::runtime_error("a diagnostic without range.start.line");
          S.Column = Position("start", "character");
          S.EndLine = Position("end", "line");
          S.EndColumn = S.EndLine ? Position("end", "character") : 0;
          S.Message = str(D, "message");
          readJoinKeys(D.value("data", nlohmann::json::object()), S);
          S.Fingerprint = str(D.value("data", nlohmann::json::object()), "fingerprint");
          for (const auto& Rel : D.value("relatedInformation", nlohmann::json::array())) {
            const auto& L = Rel.at("location");
            S.Related.push_back(
                uriToPath(str(L, "uri"), "") + ":" +
                std::to_string(boundedInteger(L.at("range").at("start").at("line"), kMaxLine - 1, "range.start.line") +
                               1));
          }
          Out.push_back(std::move(S));
        }
      }
      return true;
    }
  } catch (const std::exception& E) {
    Error = Path + ": not a tracelint report: " + E.what();
    return false;
  }
  Error = Path + ": neither tracelint JSON (\"files\") nor SARIF (\"runs\")";
  return false;
}

bool loadRuntimeReport(const std::string& Path, std::vector<RuntimeItem>& Out, std::string& Error) {
  nlohmann::json J;
  if (!readJson(Path, J, Error)) return false;
  try {
    if (str(J, "schema") != "tracelint-runtime-report") {
      Error = Path + ": not a tl runtime report (schema is not \"tracelint-runtime-report\")";
      return false;
    }
    // Compared as JSON, never converted: 1.5e87 to int is undefined behaviour (found by fuzz_report),
    // and 1.5 must not pass as 1.
    if (!J.contains("version") || J["version"] != nlohmann::json(1)) {
      Error = Path + ": runtime report version " + (J.contains("version") ? J["version"].dump() : "(missing)") +
              " is not supported (expected the integer 1)";
      return false;
    }
    for (const auto& O : J.at("observations")) {
      RuntimeItem R;
      R.Rule = str(O, "rule");
      R.Function = str(O, "function");
      R.FunctionLocation = str(O, "function_location");
      R.Location = str(O, "location");
      R.Entity = str(O, "entity");
      R.Message = str(O, "message");
      R.Count = O.contains("count") ? boundedInteger(O["count"], UINT64_MAX, "count") : 1;
      R.Report = Path;
      auto Details = O.value("details", nlohmann::json::object());
      for (auto It = Details.begin(); It != Details.end(); ++It)
        R.Details.emplace_back(It.key(), It.value().is_string() ? It.value().get<std::string>() : It.value().dump());
      Out.push_back(std::move(R));
    }
  } catch (const std::exception& E) {
    Error = Path + ": malformed runtime report: " + E.what();
    return false;
  }
  return true;
}

ConfirmResult joinReports(std::vector<StaticItem> Static, std::vector<RuntimeItem> Runtime) {
  ConfirmResult R;
  R.Static = std::move(Static);
  R.Runtime = std::move(Runtime);
  R.StaticMatch.assign(R.Static.size(), -1);
  R.RuntimeMatched.assign(R.Runtime.size(), false);
  for (std::size_t S = 0; S < R.Static.size(); ++S) {
    const auto& SI = R.Static[S];
    int Best = -1, BestScore = -1;
    for (std::size_t I = 0; I < R.Runtime.size(); ++I) {
      const auto& RI = R.Runtime[I];
      if (RI.Rule != SI.Rule) continue;
      if (!sameTracedFunction(SI, RI)) continue;
      bool Site = sameSite(SI.FunctionLocation, RI.FunctionLocation);
      if (!entitiesCompatible(SI, RI.Entity)) continue;
      // Prefer a named entity match, then the same site, then the same operation line.
      int Score = (runtimeEntityIsNamed(RI.Entity) ? 4 : 0) + (Site ? 2 : 0) +
                  (!RI.Location.empty() && sameSite(RI.Location, SI.File + ":" + std::to_string(SI.Line)) ? 1 : 0);
      if (Score > BestScore) {
        BestScore = Score;
        Best = static_cast<int>(I);
      }
    }
    R.StaticMatch[S] = Best;
    if (Best >= 0) R.RuntimeMatched[static_cast<std::size_t>(Best)] = true;
  }
  // An unnamed runtime entity (a caller's frame) is matched by any static finding of its function
  // and rule, even when another runtime item took that finding.
  for (std::size_t I = 0; I < R.Runtime.size(); ++I) {
    if (R.RuntimeMatched[I]) continue;
    for (const auto& SI : R.Static) {
      const auto& RI = R.Runtime[I];
      if (SI.Rule == RI.Rule && sameTracedFunction(SI, RI) && entitiesCompatible(SI, RI.Entity)) {
        R.RuntimeMatched[I] = true;
        break;
      }
    }
  }
  return R;
}

namespace {
std::string evidence(const RuntimeItem& R) {
  std::string E = R.Message;
  for (const auto& [K, V] : R.Details)
    if (K == "replays_skipped" || K == "traced_value" || K == "current_value" || K == "diff" ||
        K == "eager_update_episodes")
      E += "; " + K + "=" + V;
  return E;
}
std::string shortPath(const std::string& P) {
  std::error_code EC;
  auto Rel = std::filesystem::relative(P, std::filesystem::current_path(), EC).string();
  return EC || Rel.empty() || Rel.rfind("..", 0) == 0 ? P : Rel;
}
}  // namespace

namespace {
const char* staticStatus(const ConfirmResult& R, std::size_t I, bool Text) {
  if (R.StaticMatch[I] >= 0) return Text ? "confirmed    " : "confirmed";
  if (I < R.StaticOnly.size() && R.StaticOnly[I]) return Text ? "static only  " : "static_only";
  return Text ? "not observed " : "not_observed";
}
}  // namespace

unsigned ConfirmResult::staticOnly() const {
  unsigned N = 0;
  for (std::size_t I = 0; I < Static.size(); ++I) N += StaticMatch[I] < 0 && I < StaticOnly.size() && StaticOnly[I];
  return N;
}

std::string confirmText(const ConfirmResult& R) {
  std::ostringstream OS;
  OS << "Static findings (" << R.Static.size() << "):\n";
  for (std::size_t S = 0; S < R.Static.size(); ++S) {
    const auto& SI = R.Static[S];
    OS << "  " << staticStatus(R, S, true) << SI.Rule << "  " << shortPath(SI.File) << ":" << SI.Line << "  in '"
       << SI.Function << "'" << (SI.Entity.empty() ? "" : " about '" + SI.Entity + "'") << "\n";
    if (R.StaticMatch[S] >= 0)
      OS << "      runtime: " << evidence(R.Runtime[static_cast<std::size_t>(R.StaticMatch[S])]) << "\n";
  }
  OS << "Runtime observations (" << R.Runtime.size() << "):\n";
  for (std::size_t I = 0; I < R.Runtime.size(); ++I) {
    const auto& RI = R.Runtime[I];
    OS << "  " << (R.RuntimeMatched[I] ? "matched      " : "missed       ") << RI.Rule << "  in '" << RI.Function
       << "' (" << shortPath(RI.FunctionLocation) << ")" << (RI.Entity.empty() ? "" : " about '" + RI.Entity + "'")
       << "\n";
    if (!R.RuntimeMatched[I]) OS << "      " << RI.Message << "\n";
  }
  std::size_t N = R.Static.size() - R.staticOnly(), C = R.confirmed();
  OS << "Summary: " << C << " of " << N << " static findings the runtime can observe confirmed ("
     << (N ? static_cast<unsigned>(100.0 * C / N + 0.5) : 100) << "%), " << N - C << " not observed, " << R.staticOnly()
     << " static only (rules the runtime cannot observe); " << R.Runtime.size() - R.missed() << " of "
     << R.Runtime.size() << " runtime observations matched, " << R.missed() << " missed statically.\n";
  return OS.str();
}

std::string confirmJson(const ConfirmResult& R) {
  nlohmann::json J = {{"tool", "tracelint confirm"}, {"version", 1}};
  nlohmann::json S = nlohmann::json::array(), RT = nlohmann::json::array();
  for (std::size_t I = 0; I < R.Static.size(); ++I) {
    const auto& SI = R.Static[I];
    nlohmann::json Item = {{"rule", SI.Rule},         {"file", SI.File},     {"line", SI.Line},
                           {"function", SI.Function}, {"entity", SI.Entity}, {"status", staticStatus(R, I, false)}};
    if (R.StaticMatch[I] >= 0) Item["evidence"] = evidence(R.Runtime[static_cast<std::size_t>(R.StaticMatch[I])]);
    S.push_back(Item);
  }
  for (std::size_t I = 0; I < R.Runtime.size(); ++I) {
    const auto& RI = R.Runtime[I];
    RT.push_back({{"rule", RI.Rule},
                  {"function", RI.Function},
                  {"function_location", RI.FunctionLocation},
                  {"entity", RI.Entity},
                  {"message", RI.Message},
                  {"report", RI.Report},
                  {"status", R.RuntimeMatched[I] ? "matched" : "missed"}});
  }
  J["static"] = S;
  J["runtime"] = RT;
  J["summary"] = {{"static_findings", R.Static.size()},
                  {"confirmed", R.confirmed()},
                  {"not_observed", R.Static.size() - R.confirmed() - R.staticOnly()},
                  {"static_only", R.staticOnly()},
                  {"runtime_observations", R.Runtime.size()},
                  {"matched", R.Runtime.size() - R.missed()},
                  {"missed", R.missed()}};
  return J.dump(2) + "\n";
}

std::string confirmSarif(const ConfirmResult& R, const Catalogue& Cat, const EmitOptions& O) {
  // The joined report is the static report with a verdict on each finding: the same emitter writes
  // it, so it carries the same rules[], locations and fingerprints code scanning already knows.
  RunResult Joined;
  for (std::size_t I = 0; I < R.Static.size(); ++I) {
    const auto& SI = R.Static[I];
    bool Confirmed = R.StaticMatch[I] >= 0;
    Finding F;
    F.CheckId = SI.Rule;
    F.Level = Confirmed ? Severity::Error : Severity::Warning;
    F.Where = {SI.File, SI.Line, SI.Column};
    if (SI.EndLine >= SI.Line && SI.EndColumn > 0) F.End = {SI.File, SI.EndLine, SI.EndColumn};
    F.Message = SI.Message + (Confirmed ? " [confirmed at run time]" : " [not observed at run time]");
    F.TracedFunction = SI.Function;
    F.TracedFunctionLocation = SI.FunctionLocation;
    F.Entity = SI.Entity;
    F.Fingerprint = SI.Fingerprint;
    F.Runtime = Finding::RuntimeVerdict{
        Confirmed, Confirmed ? evidence(R.Runtime[static_cast<std::size_t>(R.StaticMatch[I])]) : std::string()};
    Joined.Findings.push_back(std::move(F));
  }
  EmitOptions Named = O;
  Named.ToolName = "tracelint confirm";
  return emitSarif(Joined, Cat, SourceText(), Named);
}

int runConfirm(const std::vector<std::string>& Args, const std::string& ToolVersion, const std::string& Argv0) {
  std::string StaticPath, Format = "text", Output;
  std::vector<std::string> Dynamic;
  bool FailOnMissed = false;
  auto Usage = [] {
    std::cerr << "usage: tracelint confirm --static <report.json|report.sarif> --dynamic <runtime.json>... "
                 "[--format=text|json|sarif] [--output=<file>] [--fail-on-missed]\n"
                 "exit codes: 0 joined; 1 with --fail-on-missed, a runtime observation was missed statically; "
                 "2 usage error or unreadable report\n";
    return 2;
  };
  for (std::size_t I = 0; I < Args.size(); ++I) {
    const auto& A = Args[I];
    auto Value = [&](const std::string& Flag) -> std::optional<std::string> {
      if (A.rfind(Flag + "=", 0) == 0) return A.substr(Flag.size() + 1);
      if (A == Flag && I + 1 < Args.size()) return Args[++I];
      return std::nullopt;
    };
    if (auto V = Value("--static"))
      StaticPath = *V;
    else if (A == "--dynamic") {
      while (I + 1 < Args.size() && Args[I + 1].rfind("--", 0) != 0) Dynamic.push_back(Args[++I]);
    } else if (auto V2 = Value("--dynamic"))
      Dynamic.push_back(*V2);
    else if (auto V3 = Value("--format"))
      Format = *V3;
    else if (auto V4 = Value("--output"))
      Output = *V4;
    else if (A == "--fail-on-missed")
      FailOnMissed = true;
    else if (A == "--help" || A == "-h")
      return Usage(), 0;
    else {
      std::cerr << "tracelint confirm: error: unknown argument '" << A << "'\n";
      return Usage();
    }
  }
  if (StaticPath.empty() || Dynamic.empty() || (Format != "text" && Format != "json" && Format != "sarif"))
    return Usage();
  std::vector<StaticItem> S;
  std::vector<RuntimeItem> RT;
  std::string Error;
  if (!loadStaticReport(StaticPath, S, Error)) {
    std::cerr << "tracelint confirm: error: " << Error << "\n";
    return 2;
  }
  for (const auto& D : Dynamic) {
    if (!loadRuntimeReport(D, RT, Error)) {
      std::cerr << "tracelint confirm: error: " << Error << "\n";
      return 2;
    }
  }
  auto R = joinReports(std::move(S), std::move(RT));
  auto RulesDir = findRulesDir(Argv0);
  auto Cat = Catalogue::load(RulesDir + "/catalogue.json", Error);
  if (!Cat) {
    std::cerr << "tracelint confirm: error: " << Error << "\n";
    return 2;
  }
  for (const auto& SI : R.Static) {
    const auto* Rule = Cat->find(SI.Rule);
    R.StaticOnly.push_back(Rule && !Rule->RuntimeObserves);
  }
  std::string Text;
  if (Format == "sarif") {
    EmitOptions O;
    O.ToolVersion = ToolVersion;
    O.DocsBase = resolveDocsBase("", RulesDir);
    Text = confirmSarif(R, *Cat, O);
  } else {
    Text = Format == "json" ? confirmJson(R) : confirmText(R);
  }
  if (Output.empty()) {
    std::cout << Text;
  } else if (std::string WriteError; !writeOutputFile(Output, Text, WriteError)) {
    std::cerr << "tracelint confirm: error: " << WriteError << "\n";
    return 2;
  }
  return FailOnMissed && R.missed() ? 1 : 0;
}

}  // namespace tracelint
