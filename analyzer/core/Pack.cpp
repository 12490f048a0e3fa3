#include "core/Pack.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/JsonFile.h"

namespace tracelint {

std::string fillMessage(const std::string& Template, const std::string& Subject, const std::string& Function,
                        const std::string& Source, const std::string& Reason) {
  std::string Out;
  for (std::size_t I = 0; I < Template.size();) {
    auto Close = Template[I] == '{' ? Template.find('}', I) : std::string::npos;
    if (Close == std::string::npos) {
      Out += Template[I++];
      continue;
    }
    auto Name = Template.substr(I + 1, Close - I - 1);
    Out += Name == "subject"    ? Subject
           : Name == "function" ? Function
           : Name == "source"   ? Source
           : Name == "reason"   ? Reason
                                : Template.substr(I, Close - I + 1);
    I = Close + 1;
  }
  return Out;
}

void Pack::add(const Pack& O) {
  Name = Name.empty() ? O.Name : Name + "+" + O.Name;
  auto Cat = [](auto& A, const auto& B) { A.insert(A.end(), B.begin(), B.end()); };
  if (O.Parts.empty())
    Parts.push_back(O);
  else
    Cat(Parts, O.Parts);
  Cat(EntryPoints, O.EntryPoints);
  Cat(CaptureRegions, O.CaptureRegions);
  Cat(Detect, O.Detect);
  Cat(HostReadFunctions, O.HostReadFunctions);
  Cat(VariableCreatingFunctions, O.VariableCreatingFunctions);
  Cat(LibraryNamespaces, O.LibraryNamespaces);
  Cat(StateHandleTypes, O.StateHandleTypes);
  Cat(VariableCreatingTypes, O.VariableCreatingTypes);
  Cat(ShapeFunctions, O.ShapeFunctions);
  Cat(ShapeFromScalarArgs, O.ShapeFromScalarArgs);
  Cat(RangeFunctions, O.RangeFunctions);
  Cat(StateUpdateMethods, O.StateUpdateMethods);
  Cat(GraphEffects, O.GraphEffects);
  Cat(SymbolicTensorTypes, O.SymbolicTensorTypes);
  Cat(HostReadMethods, O.HostReadMethods);
  Cat(HostIoFunctions, O.HostIoFunctions);
  Cat(InMemoryStreamTypes, O.InMemoryStreamTypes);
  if (PrintFunction.empty()) PrintFunction = O.PrintFunction;
  Cat(HostRandomFunctions, O.HostRandomFunctions);
  Cat(HostClockFunctions, O.HostClockFunctions);
  Cat(CaptureGuardTypes, O.CaptureGuardTypes);
  Cat(Versioned, O.Versioned);
  Reasons.insert(O.Reasons.begin(), O.Reasons.end());
}

std::vector<std::string>* VersionedEntry::List(Pack& P) const {
  if (ListKey == "host_read_functions") return &P.HostReadFunctions;
  if (ListKey == "variable_creating_functions") return &P.VariableCreatingFunctions;
  if (ListKey == "host_read_methods") return &P.HostReadMethods;
  return nullptr;
}

void Pack::applyVersionConditions(const std::function<std::optional<long long>(const std::string&)>& MacroValue) {
  for (const auto& E : Versioned) {
    auto V = MacroValue(E.Macro);
    if (!V) continue;
    bool Holds = E.Op == ">="   ? *V >= E.Value
                 : E.Op == ">"  ? *V > E.Value
                 : E.Op == "<=" ? *V <= E.Value
                 : E.Op == "<"  ? *V < E.Value
                 : E.Op == "==" ? *V == E.Value
                                : *V != E.Value;
    if (auto* L = E.List(*this); L && Holds) L->push_back(E.Name);
  }
  Versioned.clear();  // applied once: a second call must not add them twice
}

std::string Pack::reasonFor(const std::string& Name) const {
  auto It = Reasons.find(Name);
  return It == Reasons.end() ? "" : It->second;
}

void Pack::addCaptureWrappers(const std::map<std::string, std::string>& Begins,
                              const std::map<std::string, std::string>& Ends) {
  auto AddTo = [&](std::vector<CaptureRegion>& Regions) {
    for (auto& R : Regions) {
      for (const auto& [Usr, Kind] : Begins)
        if (Kind == R.Begin) R.BeginWrapperUsrs.insert(Usr);
      for (const auto& [Usr, Kind] : Ends)
        if (Kind == R.Begin) R.EndWrapperUsrs.insert(Usr);
    }
  };
  AddTo(CaptureRegions);
  for (auto& Part : Parts) AddTo(Part.CaptureRegions);
}

std::string resolvePackPath(const std::string& NameOrPath, const std::string& RulesDir) {
  if (NameOrPath.find('/') != std::string::npos || NameOrPath.ends_with(".json")) return NameOrPath;
  return RulesDir + "/packs/" + NameOrPath + ".json";
}

namespace {

using Pointer = nlohmann::json::json_pointer;

// A pack error, with the place it names; thrown only inside loadPack.
struct PackError {
  Pointer Where;
  std::string Message;
};

// Qualified names are written without a leading "::" (the matcher compares qualified names), but
// "::tl::function" means the same and is accepted as such.
std::string qualifiedName(const nlohmann::json& J, const Pointer& Where) {
  if (!J.is_string() || J.get<std::string>().empty())
    throw PackError{Where, "'" + readablePointer(Where.to_string()) + "' must be a non-empty string"};
  std::string Name = J.get<std::string>();
  return Name.rfind("::", 0) == 0 ? Name.substr(2) : Name;
}

void names(const nlohmann::json& J, const Pointer& Where, std::vector<std::string>& Out, bool Qualified = true) {
  if (!J.is_array()) throw PackError{Where, "'" + readablePointer(Where.to_string()) + "' must be an array of names"};
  for (std::size_t I = 0; I < J.size(); ++I) {
    if (Qualified) {
      Out.push_back(qualifiedName(J[I], Where / I));
    } else if (J[I].is_string()) {
      Out.push_back(J[I].get<std::string>());
    } else {
      throw PackError{Where / I, "'" + readablePointer((Where / I).to_string()) + "' must be a string"};
    }
  }
}

void onlyKnownKeys(const nlohmann::json& Object, const Pointer& Where, const std::vector<std::string>& Known);

// `MACRO OP INTEGER`, e.g. "CUDA_VERSION >= 13000".
VersionedEntry versionCondition(const nlohmann::json& J, const Pointer& Where) {
  static const std::vector<std::string> Ops = {">=", "<=", "==", "!=", ">", "<"};
  std::string Text = J.is_string() ? J.get<std::string>() : "";
  VersionedEntry E;
  for (const auto& Op : Ops) {
    auto At = Text.find(Op);
    if (At == std::string::npos) continue;
    auto Trim = [](std::string X) {
      X.erase(0, X.find_first_not_of(' '));
      X.erase(X.find_last_not_of(' ') + 1);
      return X;
    };
    E.Macro = Trim(Text.substr(0, At));
    E.Op = Op;
    std::string Number = Trim(Text.substr(At + Op.size()));
    bool Digits = !Number.empty() && Number.find_first_not_of("0123456789") == std::string::npos;
    bool Name = !E.Macro.empty() &&
                E.Macro.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
                    std::string::npos;
    if (Digits && Name && Number.size() < 18) {
      E.Value = std::stoll(Number);
      return E;
    }
    break;
  }
  throw PackError{
      Where, "'" + readablePointer(Where.to_string()) +
                 "' must be a condition 'MACRO OP INTEGER' (OP: >=, >, <=, <, ==, !=), as \"CUDA_VERSION >= 13000\""};
}

// A name list whose entries may also be objects: {"name": ..., "reason": ..., "if": ...}. The reason
// goes to P.Reasons; an entry with a condition waits in P.Versioned until the translation unit's
// macros are known.
void entries(const nlohmann::json& J, const Pointer& Where, const std::string& Key, Pack& P,
             std::vector<std::string>& Out, bool Qualified) {
  if (!J.is_array()) throw PackError{Where, "'" + readablePointer(Where.to_string()) + "' must be an array of names"};
  for (std::size_t I = 0; I < J.size(); ++I) {
    if (!J[I].is_object()) {
      names(nlohmann::json::array({J[I]}), Where / I, Out, Qualified);
      continue;
    }
    Pointer At = Where / I;
    onlyKnownKeys(J[I], At, {"name", "reason", "if"});
    if (!J[I].contains("name")) throw PackError{At, "an entry needs 'name'"};
    std::vector<std::string> One;
    names(nlohmann::json::array({J[I]["name"]}), At / "name", One, Qualified);
    if (J[I].contains("reason")) {
      if (!J[I]["reason"].is_string() || J[I]["reason"].get<std::string>().empty())
        throw PackError{At / "reason",
                        "'" + readablePointer((At / "reason").to_string()) + "' must be a non-empty string"};
      P.Reasons[One[0]] = J[I]["reason"].get<std::string>();
    }
    if (J[I].contains("if")) {
      VersionedEntry E = versionCondition(J[I]["if"], At / "if");
      E.ListKey = Key;
      E.Name = One[0];
      P.Versioned.push_back(E);
    } else {
      Out.push_back(One[0]);
    }
  }
}

// Every key of Object must be one of Known: a misspelt key would otherwise be ignored and the
// pack would silently describe less than its author wrote.
void onlyKnownKeys(const nlohmann::json& Object, const Pointer& Where, const std::vector<std::string>& Known) {
  if (!Object.is_object())
    throw PackError{Where, "'" + (Where.empty() ? std::string("the pack") : readablePointer(Where.to_string())) +
                               "' must be an object"};
  for (auto It = Object.begin(); It != Object.end(); ++It) {
    if (std::find(Known.begin(), Known.end(), It.key()) != Known.end()) continue;
    std::string List;
    for (const auto& K : Known) List += (List.empty() ? "" : ", ") + K;
    throw PackError{Where / It.key(), "unknown key '" + It.key() + "' (known here: " + List + ")"};
  }
}

// Argument positions: C++ implementations need support no more than 256 parameters ([implimits]),
// so anything larger is a typo, not a wrapped-around value to accept.
constexpr std::uint64_t kMaxArgument = 255;

unsigned argumentIndex(const nlohmann::json& J, const Pointer& Where, bool AllowNone) {
  if (AllowNone && J.is_number_integer() && !J.is_number_unsigned() && J.get<std::int64_t>() == -1) return ~0u;
  try {
    return static_cast<unsigned>(boundedInteger(J, kMaxArgument, "'" + readablePointer(Where.to_string()) + "'"));
  } catch (const std::out_of_range& E) {
    throw PackError{Where, E.what() + std::string(AllowNone ? " (-1: none)" : "")};
  }
}

// Templates are checked here, not when a check fills them in: an unknown key or placeholder is a
// typo that would otherwise silently turn a rule off or print "{subjct}" to users.
MessageTemplates messages(const nlohmann::json& J, const Pointer& Where,
                          const std::map<std::string, MessageKey>& Known) {
  std::vector<std::string> KeyNames;
  for (const auto& [Key, Unused] : Known) KeyNames.push_back(Key);
  onlyKnownKeys(J, Where, KeyNames);
  MessageTemplates Out;
  for (auto It = J.begin(); It != J.end(); ++It) {
    Pointer At = Where / It.key();
    if (!It.value().is_string() || It.value().get<std::string>().empty())
      throw PackError{At, "'" + readablePointer(At.to_string()) + "' must be a non-empty string"};
    const std::string Text = It.value().get<std::string>();
    const auto& Allowed = Known.at(It.key()).Placeholders;
    for (std::size_t Open = Text.find('{'); Open != std::string::npos; Open = Text.find('{', Open + 1)) {
      auto Close = Text.find('}', Open);
      std::string Name = Close == std::string::npos ? Text.substr(Open) : Text.substr(Open + 1, Close - Open - 1);
      if (Close == std::string::npos || std::find(Allowed.begin(), Allowed.end(), Name) == Allowed.end()) {
        std::string List;
        for (const auto& A : Allowed) List += (List.empty() ? "{" : ", {") + A + "}";
        throw PackError{At, "unknown placeholder '{" + Name + (Close == std::string::npos ? "" : "}") +
                                "' (known here: " + List + ")"};
      }
    }
    Out[It.key()] = Text;
  }
  return Out;
}

CaptureRegion captureRegion(const nlohmann::json& J, const Pointer& At,
                            std::shared_ptr<const MessageTemplates> Messages) {
  onlyKnownKeys(J, At,
                {"begin", "end", "handle_arg", "replay", "instantiate", "update", "capturing_values",
                 "not_capturing_values", "status_calls", "owned_params"});
  CaptureRegion R;
  R.Messages = std::move(Messages);
  for (const char* Key : {"begin", "end"})
    if (!J.contains(Key)) throw PackError{At, std::string("a capture region needs '") + Key + "'"};
  R.Begin = qualifiedName(J["begin"], At / "begin");
  R.End = qualifiedName(J["end"], At / "end");
  if (J.contains("handle_arg")) {
    unsigned A = argumentIndex(J["handle_arg"], At / "handle_arg", true);
    R.HandleArg = A == ~0u ? -1 : static_cast<int>(A);
  }
  if (J.contains("replay")) names(J["replay"], At / "replay", R.Replay);
  if (J.contains("instantiate")) names(J["instantiate"], At / "instantiate", R.Instantiate);
  if (J.contains("update")) names(J["update"], At / "update", R.Update);
  if (J.contains("capturing_values")) names(J["capturing_values"], At / "capturing_values", R.CapturingValues);
  if (J.contains("not_capturing_values"))
    names(J["not_capturing_values"], At / "not_capturing_values", R.NotCapturingValues);
  if (J.contains("status_calls")) names(J["status_calls"], At / "status_calls", R.StatusCalls);
  if (J.contains("owned_params")) {
    const auto& Queries = J["owned_params"];
    if (!Queries.is_array()) throw PackError{At / "owned_params", "'owned_params' must be an array of objects"};
    for (std::size_t I = 0; I < Queries.size(); ++I) {
      Pointer Q = At / "owned_params" / I;
      onlyKnownKeys(Queries[I], Q, {"query", "arg", "fields"});
      for (const char* Key : {"query", "arg", "fields"})
        if (!Queries[I].contains(Key)) throw PackError{Q, std::string("an owned_params entry needs '") + Key + "'"};
      CaptureRegion::OwnedParams O;
      O.Query = qualifiedName(Queries[I]["query"], Q / "query");
      O.Arg = argumentIndex(Queries[I]["arg"], Q / "arg", false);
      names(Queries[I]["fields"], Q / "fields", O.Fields, /*Qualified=*/false);
      R.OwnedParamQueries.push_back(O);
    }
  }
  return R;
}

Pack readPack(const nlohmann::json& J, const std::map<std::string, MessageKey>& KnownMessages) {
  static const std::vector<std::string> NameLists = {"library_namespaces",
                                                     "state_handle_types",
                                                     "variable_creating_types",
                                                     "shape_functions",
                                                     "shape_from_scalar_args",
                                                     "range_functions",
                                                     "state_update_methods",
                                                     "graph_effects",
                                                     "host_io_functions",
                                                     "in_memory_stream_types",
                                                     "host_random_functions",
                                                     "host_clock_functions",
                                                     "detect",
                                                     "host_read_functions",
                                                     "variable_creating_functions",
                                                     "capture_guard_types"};
  std::vector<std::string> Known = {"pack",           "version",         "description",
                                    "entry_points",   "capture_regions", "symbolic_tensor_types",
                                    "print_function", "messages"};
  Known.insert(Known.end(), NameLists.begin(), NameLists.end());
  Pointer Root;
  onlyKnownKeys(J, Root, Known);
  Pack P;
  if (!J.contains("pack") || !J["pack"].is_string() || J["pack"].get<std::string>().empty())
    throw PackError{J.contains("pack") ? Root / "pack" : Root, "'pack' (the pack's name) must be a non-empty string"};
  P.Name = J["pack"].get<std::string>();
  if (J.contains("version") && J["version"] != nlohmann::json(1))
    throw PackError{Root / "version",
                    "version " + J["version"].dump() + " is not supported (this tracelint reads version 1)"};
  if (J.contains("description") && !J["description"].is_string())
    throw PackError{Root / "description", "'description' must be a string"};
  auto Messages = std::make_shared<MessageTemplates>();
  if (J.contains("messages")) {
    *Messages = messages(J["messages"], Root / "messages", KnownMessages);
  } else {
    for (const auto& [Key, Known] : KnownMessages) (*Messages)[Key] = Known.Default;
  }
  std::vector<std::string>* Lists[] = {&P.LibraryNamespaces,
                                       &P.StateHandleTypes,
                                       &P.VariableCreatingTypes,
                                       &P.ShapeFunctions,
                                       &P.ShapeFromScalarArgs,
                                       &P.RangeFunctions,
                                       &P.StateUpdateMethods,
                                       &P.GraphEffects,
                                       &P.HostIoFunctions,
                                       &P.InMemoryStreamTypes,
                                       &P.HostRandomFunctions,
                                       &P.HostClockFunctions,
                                       &P.Detect,
                                       &P.HostReadFunctions,
                                       &P.VariableCreatingFunctions,
                                       &P.CaptureGuardTypes};
  for (std::size_t K = 0; K < NameLists.size(); ++K) {
    if (!J.contains(NameLists[K])) continue;
    // The capture-unsafe calls carry their reasons and version conditions (issue 29.3).
    if (NameLists[K] == "host_read_functions" || NameLists[K] == "variable_creating_functions")
      entries(J[NameLists[K]], Root / NameLists[K], NameLists[K], P, *Lists[K], /*Qualified=*/true);
    else
      names(J[NameLists[K]], Root / NameLists[K], *Lists[K]);
  }
  if (J.contains("print_function")) P.PrintFunction = qualifiedName(J["print_function"], Root / "print_function");

  if (J.contains("entry_points")) {
    const auto& EPs = J["entry_points"];
    if (!EPs.is_array()) throw PackError{Root / "entry_points", "'entry_points' must be an array of objects"};
    for (std::size_t I = 0; I < EPs.size(); ++I) {
      const auto& E = EPs[I];
      Pointer At = Root / "entry_points" / I;
      onlyKnownKeys(E, At,
                    {"kind", "class", "function", "callable_arg", "options_arg", "name_field", "retrace_options",
                     "retrace_off_arg", "cache_by_function"});
      EntryPoint EP;
      EP.Messages = Messages;
      if (E.contains("cache_by_function")) {
        if (!E["cache_by_function"].is_boolean())
          throw PackError{At / "cache_by_function", "'cache_by_function' must be true or false"};
        EP.CacheByFunction = E["cache_by_function"].get<bool>();
      }
      EP.Kind = E.contains("kind") && E["kind"].is_string() ? E["kind"].get<std::string>() : "";
      if (EP.Kind != "construct" && EP.Kind != "call")
        throw PackError{E.contains("kind") ? At / "kind" : At, "entry point kind must be \"construct\" or \"call\""};
      const char* NameKey = EP.Kind == "construct" ? "class" : "function";
      const char* OtherKey = EP.Kind == "construct" ? "function" : "class";
      if (E.contains(OtherKey))
        throw PackError{At / OtherKey,
                        std::string("a \"") + EP.Kind + "\" entry point names its " + NameKey + ", not a " + OtherKey};
      if (!E.contains(NameKey))
        throw PackError{At, std::string("a \"") + EP.Kind + "\" entry point needs '" + NameKey + "'"};
      EP.Name = qualifiedName(E[NameKey], At / NameKey);
      if (E.contains("callable_arg")) EP.CallableArg = argumentIndex(E["callable_arg"], At / "callable_arg", false);
      if (E.contains("options_arg")) {
        unsigned A = argumentIndex(E["options_arg"], At / "options_arg", true);
        EP.OptionsArg = A == ~0u ? -1 : static_cast<int>(A);
      }
      if (E.contains("name_field")) {
        if (!E["name_field"].is_string()) throw PackError{At / "name_field", "'name_field' must be a string"};
        EP.NameField = E["name_field"].get<std::string>();
      }
      if (E.contains("retrace_options")) names(E["retrace_options"], At / "retrace_options", EP.RetraceOptions, false);
      if (E.contains("retrace_off_arg")) {
        unsigned A = argumentIndex(E["retrace_off_arg"], At / "retrace_off_arg", true);
        EP.RetraceOffArg = A == ~0u ? -1 : static_cast<int>(A);
      }
      P.EntryPoints.push_back(EP);
    }
  }
  if (J.contains("capture_regions")) {
    const auto& Regions = J["capture_regions"];
    if (!Regions.is_array()) throw PackError{Root / "capture_regions", "'capture_regions' must be an array of objects"};
    for (std::size_t I = 0; I < Regions.size(); ++I)
      P.CaptureRegions.push_back(captureRegion(Regions[I], Root / "capture_regions" / I, Messages));
  }
  if (J.contains("symbolic_tensor_types")) {
    const auto& Types = J["symbolic_tensor_types"];
    if (!Types.is_array())
      throw PackError{Root / "symbolic_tensor_types", "'symbolic_tensor_types' must be an array of objects"};
    for (std::size_t I = 0; I < Types.size(); ++I) {
      Pointer At = Root / "symbolic_tensor_types" / I;
      onlyKnownKeys(Types[I], At, {"type", "host_read_methods"});
      if (!Types[I].contains("type")) throw PackError{At, "a symbolic tensor type needs 'type'"};
      P.SymbolicTensorTypes.push_back(qualifiedName(Types[I]["type"], At / "type"));
      if (Types[I].contains("host_read_methods"))
        entries(Types[I]["host_read_methods"], At / "host_read_methods", "host_read_methods", P, P.HostReadMethods,
                /*Qualified=*/false);
    }
  }
  return P;
}

}  // namespace

std::optional<Pack> loadPack(const std::string& Path, const Catalogue& Cat, std::string& Error) {
  nlohmann::json J;
  std::string Text;
  if (!readJsonFile(Path, "API pack", J, Error, &Text, /*RejectDuplicateKeys=*/true)) return std::nullopt;
  try {
    return readPack(J, Cat.messageKeys());
  } catch (const PackError& E) {
    Error = JsonPositions(Text).site(Path, E.Where.to_string()) + ": malformed API pack: " + E.Message;
  } catch (const std::exception& E) {
    Error = Path + ": malformed API pack: " + E.what();
  }
  return std::nullopt;
}

}  // namespace tracelint
