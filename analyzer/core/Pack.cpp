#include "core/Pack.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/JsonFile.h"

namespace tracelint {

void Pack::add(const Pack &O) {
  Name = Name.empty() ? O.Name : Name + "+" + O.Name;
  auto Cat = [](auto &A, const auto &B) { A.insert(A.end(), B.begin(), B.end()); };
  Cat(EntryPoints, O.EntryPoints);
  Cat(LibraryNamespaces, O.LibraryNamespaces);
  Cat(StateHandleTypes, O.StateHandleTypes);
  Cat(VariableCreatingTypes, O.VariableCreatingTypes);
  Cat(ShapeFunctions, O.ShapeFunctions);
  Cat(ShapeFromScalarArgs, O.ShapeFromScalarArgs);
  Cat(StateUpdateMethods, O.StateUpdateMethods);
  Cat(GraphEffects, O.GraphEffects);
  Cat(SymbolicTensorTypes, O.SymbolicTensorTypes);
  Cat(HostReadMethods, O.HostReadMethods);
  Cat(HostIoFunctions, O.HostIoFunctions);
  if (PrintFunction.empty()) PrintFunction = O.PrintFunction;
  Cat(HostRandomFunctions, O.HostRandomFunctions);
  Cat(HostClockFunctions, O.HostClockFunctions);
}

std::string resolvePackPath(const std::string &NameOrPath, const std::string &RulesDir) {
  if (NameOrPath.find('/') != std::string::npos || NameOrPath.ends_with(".json")) return NameOrPath;
  return RulesDir + "/packs/" + NameOrPath + ".json";
}

std::optional<Pack> loadPack(const std::string &Path, std::string &Error) {
  nlohmann::json J;
  if (!readJsonFile(Path, "API pack", J, Error)) return std::nullopt;
  Pack P;
  try {
    P.Name = J.at("pack").get<std::string>();
    auto Strings = [&](const char *Key, std::vector<std::string> &Out) {
      if (J.contains(Key)) Out = J.at(Key).get<std::vector<std::string>>();
    };
    for (const auto &E : J.value("entry_points", nlohmann::json::array())) {
      EntryPoint EP;
      EP.Kind = E.at("kind").get<std::string>();
      if (EP.Kind != "construct" && EP.Kind != "call")
        throw std::runtime_error("entry point kind must be \"construct\" or \"call\", got \"" + EP.Kind + "\"");
      EP.Name = EP.Kind == "construct" ? E.at("class").get<std::string>() : E.at("function").get<std::string>();
      EP.CallableArg = E.value("callable_arg", 0u);
      EP.OptionsArg = E.value("options_arg", -1);
      EP.NameField = E.value("name_field", std::string());
      EP.RetraceOptions = E.value("retrace_options", std::vector<std::string>{});
      P.EntryPoints.push_back(EP);
    }
    Strings("library_namespaces", P.LibraryNamespaces);
    Strings("state_handle_types", P.StateHandleTypes);
    Strings("variable_creating_types", P.VariableCreatingTypes);
    Strings("shape_functions", P.ShapeFunctions);
    Strings("shape_from_scalar_args", P.ShapeFromScalarArgs);
    Strings("state_update_methods", P.StateUpdateMethods);
    Strings("graph_effects", P.GraphEffects);
    Strings("host_io_functions", P.HostIoFunctions);
    P.PrintFunction = J.value("print_function", std::string());
    Strings("host_random_functions", P.HostRandomFunctions);
    Strings("host_clock_functions", P.HostClockFunctions);
    for (const auto &T : J.value("symbolic_tensor_types", nlohmann::json::array())) {
      P.SymbolicTensorTypes.push_back(T.at("type").get<std::string>());
      for (const auto &M : T.value("host_read_methods", nlohmann::json::array())) P.HostReadMethods.push_back(M.get<std::string>());
    }
  } catch (const std::exception &E) {
    Error = Path + ": malformed API pack: " + E.what();
    return std::nullopt;
  }
  return P;
}

}  // namespace tracelint
