#pragma once
#include <cstddef>
#include <memory>

#include "core/value_type.h"

namespace tl::detail {

// An owned, 64-byte-aligned block. Tensors and variables share storage through shared_ptr.
struct storage {
  explicit storage(std::size_t bytes);
  ~storage();
  storage(const storage&) = delete;
  storage& operator=(const storage&) = delete;
  void* data = nullptr;
  std::size_t bytes = 0;
};

std::shared_ptr<storage> allocate_storage(std::size_t bytes);
// Bytes of a tensor of this type; tl::error when the size overflows the address space.
std::size_t byte_size(const value_type& t);
// Refuses requests the machine cannot satisfy with a tl::error instead of aborting.
void* aligned_alloc_or_throw(std::size_t bytes);

}  // namespace tl::detail
