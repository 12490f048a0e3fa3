#pragma once
// API packs (rules/packs/*.json): what a tracing API looks like to the analyzer. The analyzer
// knows no tl names of its own; everything API-specific comes from here.
#include <optional>
#include <string>
#include <vector>

namespace tracelint {

struct EntryPoint {
  std::string Kind;  // "construct" (a class whose constructor takes the callable) or "call"
  std::string Name;  // qualified class or function name
  unsigned CallableArg = 0;
  int OptionsArg = -1;    // argument holding the options aggregate, -1 if none
  std::string NameField;  // the options field that names the traced function
  // Options fields that, when set, stop shape-driven retracing (input_signature, reduce_retracing).
  std::vector<std::string> RetraceOptions;
};

struct Pack {
  std::string Name;
  std::vector<EntryPoint> EntryPoints;
  std::vector<std::string> LibraryNamespaces;  // the API's own code: not analyzed as user code
  std::vector<std::string> StateHandleTypes;
  std::vector<std::string> VariableCreatingTypes;  // constructing one creates graph variables
  std::vector<std::string> ShapeFunctions;         // create or reshape tensors from host shapes (container arguments)
  std::vector<std::string> ShapeFromScalarArgs;    // shape functions whose scalar arguments set the shape too
  std::vector<std::string> StateUpdateMethods;     // methods of state handles that change their state
  std::vector<std::string> GraphEffects;
  std::vector<std::string> SymbolicTensorTypes;
  std::vector<std::string> HostReadMethods;
  std::vector<std::string> HostIoFunctions;
  std::string PrintFunction;  // the graph op that prints a tensor on every call (fix-it target)
  std::vector<std::string> HostRandomFunctions;
  std::vector<std::string> HostClockFunctions;

  // Several packs act as one: their lists are concatenated.
  void add(const Pack &Other);
};

std::optional<Pack> loadPack(const std::string &Path, std::string &Error);
// A pack named by name (rules/packs/<name>.json) or by path.
std::string resolvePackPath(const std::string &NameOrPath, const std::string &RulesDir);

}  // namespace tracelint
