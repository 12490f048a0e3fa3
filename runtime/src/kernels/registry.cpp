// Maps op kinds to kernels, and holds the kernels with effects outside the graph (variable
// assignment, printing).
#include <cstring>
#include <iostream>
#include <mutex>

#include "core/dispatch.h"
#include "core/format.h"
#include "core/tensor_impl.h"
#include "kernels/kernels.h"

namespace tl::detail {

kernel_fn elementwise_kernel(op_kind k);
kernel_fn matmul_kernel();
kernel_fn fused_matmul_kernel();
kernel_fn matmul_update_kernel();
kernel_fn reduce_kernel(op_kind k);
kernel_fn layout_kernel(op_kind k);
kernel_fn nn_kernel(op_kind k);
kernel_fn fused_kernel();

namespace {

void k_identity(const node&, const buffer* in, const buffer& out) {
  if (out.data != in[0].data)
    std::memcpy(out.data, in[0].data, static_cast<std::size_t>(out.size) * dtype_size(out.type));
}

std::mutex& print_mutex() {
  static std::mutex m;
  return m;
}

void k_print(const node& n, const buffer* in, const buffer& out) {
  {
    std::lock_guard<std::mutex> lock(print_mutex());
    if (!n.attrs.label.empty()) std::cout << n.attrs.label << ": ";
    format_values(std::cout, in[0].data, value_type{in[0].type, *in[0].shape});
    std::cout << std::endl;
  }
  k_identity(n, in, out);
}

void k_assign(const node& n, const buffer* in, const buffer& out) {
  auto& var = *n.attrs.var;
  auto bytes = static_cast<std::size_t>(in[0].size) * dtype_size(in[0].type);
  std::shared_ptr<storage> target;
  if (n.attrs.mode == assign_mode::initialize) {
    std::lock_guard<std::mutex> lock(var.mu);
    if (!var.initialized.load()) {
      std::memcpy(var.data->data, in[0].data, bytes);
      var.initialized.store(true);
    }
    k_identity(n, in, out);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(var.mu);
    // Copy on write: an eager read handed out this storage as an immutable tensor.
    if (var.data.use_count() > 1) {
      auto fresh = allocate_storage(bytes);
      if (n.attrs.mode != assign_mode::set) std::memcpy(fresh->data, var.data->data, bytes);
      var.data = std::move(fresh);
    }
    target = var.data;
  }
  if (n.attrs.mode == assign_mode::set) {
    if (target->data != in[0].data) std::memcpy(target->data, in[0].data, bytes);
  } else {
    float sign = n.attrs.mode == assign_mode::add ? 1.f : -1.f;
    dispatch_numeric(in[0].type, [&]<class T>() {
      T* z = static_cast<T*>(target->data);
      const T* d = in[0].as<T>();
      std::int64_t count = in[0].size;
      T s = static_cast<T>(sign);
      parallel_range(count >= kParallelThreshold, count, [&](std::int64_t lo, std::int64_t hi) {
#pragma omp simd
        for (std::int64_t i = lo; i < hi; ++i) z[i] += s * d[i];
      });
    });
  }
  k_identity(n, in, out);
}

}  // namespace

bool output_aliases_input(op_kind k) {
  return k == op_kind::reshape || k == op_kind::reshape_like || k == op_kind::print || k == op_kind::assign_variable;
}

kernel_fn kernel_for(op_kind k) {
  if (auto f = elementwise_kernel(k)) return f;
  if (auto f = reduce_kernel(k)) return f;
  if (auto f = layout_kernel(k)) return f;
  if (auto f = nn_kernel(k)) return f;
  switch (k) {
    case op_kind::matmul:
      return matmul_kernel();
    case op_kind::reshape:
    case op_kind::reshape_like:
      return k_identity;
    case op_kind::print:
      return k_print;
    case op_kind::assign_variable:
      return k_assign;
    case op_kind::fused_elementwise:
      return fused_kernel();
    case op_kind::fused_matmul:
      return fused_matmul_kernel();
    case op_kind::matmul_update:
      return matmul_update_kernel();
    default:
      return nullptr;
  }
}

}  // namespace tl::detail
