#include "core/storage.h"

#include <cstdlib>
#include <new>
#include <string>

#include "core/tensor_impl.h"
#include "tl/error.h"

namespace tl::detail {

namespace {
// Far beyond any machine this runs on; a request above it is a bug (a negative size cast to
// size_t, an unknown dimension taken literally), not a real allocation.
constexpr std::size_t kMaxAllocation = std::size_t{1} << 44;
}  // namespace

void* aligned_alloc_or_throw(std::size_t bytes) {
  if (bytes > kMaxAllocation) {
    throw tl::error("tl: refusing to allocate " + std::to_string(bytes) + " bytes (more than 16 TiB)");
  }
  std::size_t rounded = (bytes + 63) / 64 * 64;
  void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
  if (!p) throw tl::error("tl: out of memory allocating " + std::to_string(bytes) + " bytes");
  return p;
}

storage::storage(std::size_t n) : data(aligned_alloc_or_throw(n)), bytes(n) {}
storage::~storage() { std::free(data); }

std::shared_ptr<storage> allocate_storage(std::size_t bytes) { return std::make_shared<storage>(bytes); }

std::size_t byte_size(const value_type& t) {
  auto n = num_elements(t.shape);
  if (n < 0) throw tl::error("tl: internal: byte size of a shape with unknown dimensions " + shape_string(t.shape));
  return static_cast<std::size_t>(n) * dtype_size(t.type);
}

std::shared_ptr<tensor_impl> make_concrete(value_type t) {
  auto bytes = byte_size(t);
  return make_concrete(std::move(t), allocate_storage(bytes));
}

std::shared_ptr<tensor_impl> make_concrete(value_type t, std::shared_ptr<storage> data) {
  auto impl = std::make_shared<tensor_impl>();
  impl->type = std::move(t);
  impl->data = std::move(data);
  return impl;
}

}  // namespace tl::detail
