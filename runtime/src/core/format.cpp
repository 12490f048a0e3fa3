#include "core/format.h"

#include <ostream>

#include "core/dispatch.h"

namespace tl::detail {

namespace {
constexpr std::int64_t kEdgeItems = 3;
constexpr std::int64_t kSummarizeAbove = 1000;

template <class T>
void print_scalar(std::ostream& os, T v) {
  if constexpr (std::is_same_v<T, bool>)
    os << (v ? "true" : "false");
  else
    os << v;
}

template <class T>
void print_axis(std::ostream& os, const T* data, const shape_t& s, std::size_t axis, std::int64_t offset,
                bool summarize) {
  std::int64_t stride = 1;
  for (std::size_t i = axis + 1; i < s.size(); ++i) stride *= s[i];
  os << '[';
  for (std::int64_t i = 0; i < s[axis]; ++i) {
    if (summarize && s[axis] > 2 * kEdgeItems && i == kEdgeItems) {
      os << "..., ";
      i = s[axis] - kEdgeItems;
    }
    if (i) os << (axis + 1 == s.size() ? ", " : ",\n ");
    if (axis + 1 == s.size())
      print_scalar(os, data[offset + i]);
    else
      print_axis(os, data, s, axis + 1, offset + i * stride, summarize);
  }
  os << ']';
}
}  // namespace

void format_values(std::ostream& os, const void* data, const value_type& t) {
  dispatch_all(t.type, [&]<class T>() {
    const T* p = static_cast<const T*>(data);
    if (t.shape.empty())
      print_scalar(os, p[0]);
    else
      print_axis(os, p, t.shape, 0, 0, num_elements(t.shape) > kSummarizeAbove);
  });
}

}  // namespace tl::detail
