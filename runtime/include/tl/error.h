#pragma once
#include <source_location>
#include <stdexcept>
#include <string>

namespace tl {

// Every misuse the runtime detects (bad shapes, dtypes, host reads of symbolic tensors, a Variable
// created on a later trace) throws this, with the caller's source location in the message.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string format_location(const std::source_location& loc);

}  // namespace tl
