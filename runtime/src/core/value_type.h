#pragma once
// A tensor's dtype and shape: what storage, tensors, printing and the graph's shape rules share.
#include "tl/dtype.h"

namespace tl::detail {

struct value_type {
  dtype type = dtype::float32;
  shape_t shape;
  bool operator==(const value_type&) const = default;
};

}  // namespace tl::detail
