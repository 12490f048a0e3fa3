#pragma once
// Calls of pack-listed host functions (I/O, RNG, clocks) in trace-reachable code: shared by
// trace-host-io and trace-host-random.
#include <string>
#include <vector>

#include "checks/Check.h"

namespace tracelint {

// The entry of Names that the call or construction E is a call of, or "": a free function, a method
// named by its class (a class template's by the template: std::basic_ostream::operator<<) or by the
// static type of its object (an inherited method: rmm::mr::cuda_memory_resource::allocate), a
// constructor as Class::Class (thrust::device_vector::device_vector).
std::string matchedCallName(const clang::Expr* E, const std::vector<std::string>& Names);

// Reports every call, in trace-reachable code, of a function named in Names (free functions,
// methods and operators, qualified without template arguments), with the message the root's pack
// gives for Check.
void reportHostCalls(const CheckContext& C, const std::vector<std::string>& Names);

}  // namespace tracelint
