#include "executor/eager.h"

#include <string>

#include "kernels/kernels.h"
#include "tl/error.h"

namespace tl::detail {

std::shared_ptr<tensor_impl> run_eager(const node& n, const std::vector<const tensor_impl*>& inputs) {
  std::vector<buffer> bufs(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    bufs[i] = buffer{inputs[i]->data->data, &inputs[i]->type.shape, inputs[i]->type.type,
                     num_elements(inputs[i]->type.shape)};
  }
  std::shared_ptr<tensor_impl> out;
  if (output_aliases_input(n.kind)) {
    out = make_concrete(n.out, inputs[0]->data);
  } else if (n.kind == op_kind::constant) {
    return make_concrete(n.out, n.attrs.data);
  } else {
    out = make_concrete(n.out);
  }
  auto fn = kernel_for(n.kind);
  if (!fn) throw tl::error(std::string("tl: internal: no kernel for ") + op_name(n.kind));
  buffer ob{out->data->data, &out->type.shape, out->type.type, num_elements(out->type.shape)};
  fn(n, bufs.data(), ob);
  return out;
}

}  // namespace tl::detail
