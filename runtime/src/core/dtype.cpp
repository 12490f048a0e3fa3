#include "tl/dtype.h"

#include <source_location>
#include <sstream>

#include "tl/error.h"

namespace tl {

std::size_t dtype_size(dtype t) {
  switch (t) {
    case dtype::float32:
      return 4;
    case dtype::int32:
      return 4;
    case dtype::int64:
      return 8;
    case dtype::bool_:
      return 1;
  }
  return 0;
}

const char* dtype_name(dtype t) {
  switch (t) {
    case dtype::float32:
      return "float32";
    case dtype::int32:
      return "int32";
    case dtype::int64:
      return "int64";
    case dtype::bool_:
      return "bool";
  }
  return "?";
}

std::string shape_string(const shape_t& s) {
  std::ostringstream os;
  os << '[';
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i) os << ", ";
    if (s[i] < 0)
      os << '?';
    else
      os << s[i];
  }
  os << ']';
  return os.str();
}

std::int64_t num_elements(const shape_t& s) {
  // A zero dimension makes the product 0 however large the others are, so scan for unknowns first and
  // only then multiply with an overflow check: {1 << 32, 1 << 32} must not wrap to 0 elements.
  for (auto d : s)
    if (d < 0) return -1;
  std::int64_t n = 1;
  for (auto d : s)
    if (d == 0) return 0;
  for (auto d : s) {
    if (__builtin_mul_overflow(n, d, &n)) {
      throw tl::error("tl: shape " + shape_string(s) + " has more elements than a 64-bit count can hold");
    }
  }
  return n;
}

std::string format_location(const std::source_location& loc) {
  if (loc.line() == 0) return "<unknown location>";
  std::string file = loc.file_name();
  return file + ":" + std::to_string(loc.line());
}

}  // namespace tl
