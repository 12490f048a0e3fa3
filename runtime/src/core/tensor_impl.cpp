#include "core/tensor_impl.h"

namespace tl::detail {

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
