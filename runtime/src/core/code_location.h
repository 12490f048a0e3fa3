#pragma once
// Source lines of code addresses, for hazards whose statement has no std::source_location: a call
// of tl::function::operator() (the call site of a retrace) and C++ operators on tensors (`w * lr`),
// which cannot take a defaulted location argument. Addresses are kept cheaply while the program runs
// and turned into "file:line" only when a hazard is reported, through a symbolizer plugin
// (libtl_symbolizer.so, LLVM's DWARF reader) loaded on first use, so programs load LLVM only when
// they report a hazard.
#include <source_location>
#include <string>

namespace tl::detail {

// "file:line" of the call instruction that `return_address` returns to: the innermost inlined frame
// outside library code (the system's and tl's own headers). Without the plugin, or without debug
// information, "function in module (no line: <reason>)" or "module+0xOFFSET (no line: <reason>)".
std::string code_location(const void* return_address);

// The same for a stack: `frames[0]` the instruction itself, the rest return addresses. The first
// frame with a line outside library code wins (a store inside a non-inlined std::vector member is
// named at the user's push_back); else the first frame's location.
std::string code_location_of_stack(const void* const* frames, int count);

// The outermost user frame of a stack of return addresses taken inside the runtime during a trace:
// the last frame with a line outside library code before the stack re-enters the runtime's own
// library (which called the traced function). That is the statement of the traced function whose
// call led here, e.g. `Dense d;` for a variable made by Dense's member initializer; else "".
std::string traced_statement_of_stack(const void* const* frames, int count);

// Modules the runtime itself loaded so far (the symbolizer plugin and its dependencies): a trace
// during which only these were loaded ran no user constructors.
unsigned long long modules_loaded_by_runtime();

// Set by the tensor operators for the duration of the op: the user's call site of the operator.
class operator_site {
 public:
  explicit operator_site(const void* return_address);
  ~operator_site();
  operator_site(const operator_site&) = delete;
  operator_site& operator=(const operator_site&) = delete;

 private:
  const void* previous_;
};
const void* current_operator_site();

// The location of the statement calling the op running now: `loc` when it has one, else the
// enclosing operator's call site, else "<unknown location>".
std::string format_call_location(const std::source_location& loc);

}  // namespace tl::detail
