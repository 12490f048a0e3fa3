#pragma once
// API packs (rules/packs/*.json): what a tracing API looks like to the analyzer. The analyzer
// knows no tl names of its own; everything API-specific comes from here.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/Catalogue.h"

namespace tracelint {

// A pack's message templates, by key: a rule id or a rule id with a variant (".call", ".tensor",
// ...), as the catalogue lists them (Catalogue::messageKeys). {subject}, {function}, {source} and {reason} are filled
// in by the check. A pack that writes "messages" applies only the rules it gives templates for; one that does not gets
// every rule with API-neutral texts.
using MessageTemplates = std::map<std::string, std::string>;

// Template with its placeholders filled in.
std::string fillMessage(const std::string& Template, const std::string& Subject, const std::string& Function,
                        const std::string& Source = "", const std::string& Reason = "");

struct Pack;

// A name-list entry that applies only when the translation unit's toolkit version says so
// (`{"name": "cudaMemcpyBatchAsync", "if": "CUDA_VERSION >= 13000"}`): the condition is evaluated
// against a macro of the translation unit; an undefined or non-numeric macro makes it false.
struct VersionedEntry {
  std::vector<std::string>* List(Pack& P) const;
  std::string ListKey;  // the pack key of the list it belongs to ("host_read_functions", ...)
  std::string Name;
  std::string Macro, Op;  // Op: one of >= > <= < == !=
  long long Value = 0;
};

struct EntryPoint {
  std::string Kind;  // "construct" (a class whose constructor takes the callable) or "call"
  std::string Name;  // qualified class or function name
  unsigned CallableArg = 0;
  int OptionsArg = -1;    // argument holding the options aggregate, -1 if none
  std::string NameField;  // the options field that names the traced function
  // Options fields that, when set, stop shape-driven retracing (input_signature, reduce_retracing).
  std::vector<std::string> RetraceOptions;
  // A bool argument that, when true, stops shape-driven retracing (MLX's shapeless); -1: none.
  int RetraceOffArg = -1;
  // A named function (not a lambda) shares one cache among all function objects made from it, so
  // creating those in a loop does not retrace (MLX's compile keys its cache by the function).
  bool CacheByFunction = false;
  std::shared_ptr<const MessageTemplates> Messages;  // of the pack that names this entry point
};

// A capture region: the code that runs between a begin call and an end call on the same handle
// (CUDA stream capture, a graph object's capture_begin/capture_end).
struct CaptureRegion {
  std::string Begin, End;                // qualified function or method names
  int HandleArg = 0;                     // the argument naming the handle; -1: the object of a method call
  std::vector<std::string> Replay;       // calls that run the recorded graph
  std::vector<std::string> Instantiate;  // calls that turn a recorded graph into a runnable one
  std::vector<std::string> Update;       // calls that change a runnable graph in place
  // Enumerators a capture-status value is compared with: `== capturing` and `!= not_capturing`
  // guard capture-time code.
  std::vector<std::string> CapturingValues, NotCapturingValues;
  // Calls of this capture's lifecycle that return a status the caller must check (begin, end,
  // instantiate, launch): trace-capture-status-ignored reports one whose status is discarded.
  std::vector<std::string> StatusCalls;
  // Queries that hand out parameters whose arrays the runtime owns (cudaGraphKernelNodeGetParams
  // fills argument Arg; its Fields, kernelParams and extra, point into the node): writing through
  // them is trace-runtime-owned-params.
  struct OwnedParams {
    std::string Query;
    unsigned Arg = 0;
    std::vector<std::string> Fields;
  };
  std::vector<OwnedParams> OwnedParamQueries;
  std::shared_ptr<const MessageTemplates> Messages;
  // Functions defined in other files that begin (or end) such a capture and return, by USR: found
  // by the driver in those files' summaries; their calls begin and end regions here.
  std::set<std::string> BeginWrapperUsrs, EndWrapperUsrs;
};

struct Pack {
  std::string Name;
  std::vector<EntryPoint> EntryPoints;
  std::vector<CaptureRegion> CaptureRegions;
  // Names whose declaration in a translation unit turns this pack on there without configuration;
  // empty: the pack applies wherever it is selected.
  std::vector<std::string> Detect;
  std::vector<std::string> HostReadFunctions;          // free functions that wait for device values
  std::vector<std::string> VariableCreatingFunctions;  // calls that allocate what a region must not
  std::vector<std::string> LibraryNamespaces;          // the API's own code: not analyzed as user code
  std::vector<std::string> StateHandleTypes;
  std::vector<std::string> VariableCreatingTypes;  // constructing one creates graph variables
  std::vector<std::string> ShapeFunctions;         // create or reshape tensors from host shapes (container arguments)
  std::vector<std::string> ShapeFromScalarArgs;    // shape functions whose scalar arguments set the shape too
  // "f(start, stop, step)": shape functions making (stop - start) / step elements; start and stop
  // that move together keep the shape.
  std::vector<std::string> RangeFunctions;
  std::vector<std::string> StateUpdateMethods;  // methods of state handles that change their state
  std::vector<std::string> GraphEffects;
  std::vector<std::string> SymbolicTensorTypes;
  std::vector<std::string> HostReadMethods;
  std::vector<std::string> HostIoFunctions;
  // Stream types that write to memory (a string stream): I/O functions called on one are not host
  // I/O; what reaches an output later is reported where it does.
  std::vector<std::string> InMemoryStreamTypes;
  std::string PrintFunction;  // the graph op that prints a tensor on every call (fix-it target)
  std::vector<std::string> HostRandomFunctions;
  std::vector<std::string> HostClockFunctions;
  // Why an entry of a name list is reported, from the API's documentation, by name (`{"name": ...,
  // "reason": ...}` entries): filled into the {reason} placeholder of the message.
  std::map<std::string, std::string> Reasons;
  // Entries whose condition on the toolkit version is still to be evaluated (applyVersionConditions).
  std::vector<VersionedEntry> Versioned;
  // Classes whose destructor ends the capture open on the handle they hold (RAII guards): a capture
  // handed to one is ended on every path out of the guard's scope, exceptions included.
  std::vector<std::string> CaptureGuardTypes;

  // The packs this one was made of by add(), each whole: a translation unit keeps those it uses.
  std::vector<Pack> Parts;

  // Several packs act as one: their lists are concatenated.
  void add(const Pack& Other);
  // Adds to their lists the versioned entries whose condition holds; MacroValue gives a macro's
  // integer value in the translation unit, or nullopt when it is undefined or not a number.
  void applyVersionConditions(const std::function<std::optional<long long>(const std::string&)>& MacroValue);
  // The reason given for Name, or "".
  std::string reasonFor(const std::string& Name) const;
  // Adds wrappers (USR -> the begin name of their region kind) to the matching capture regions.
  void addCaptureWrappers(const std::map<std::string, std::string>& Begins,
                          const std::map<std::string, std::string>& Ends);
};

// Message keys and their API-neutral defaults come from the rule catalogue.
std::optional<Pack> loadPack(const std::string& Path, const Catalogue& Cat, std::string& Error);
// A pack named by name (rules/packs/<name>.json) or by path.
std::string resolvePackPath(const std::string& NameOrPath, const std::string& RulesDir);

}  // namespace tracelint
