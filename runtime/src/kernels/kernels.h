#pragma once
// Kernels: one per op kind, shared by eager execution, constant folding and plan replay. A kernel
// sees concrete shapes only. Work above kParallelThreshold elements runs in an OpenMP region; below
// it a region costs more than it saves (anchors: 0.2-0.8 us per region on this machine).
#include <cstdint>

#include "graph/graph.h"

namespace tl::detail {

struct buffer {
  void* data = nullptr;
  const shape_t* shape = nullptr;
  dtype type = dtype::float32;
  std::int64_t size = 0;
  template <class T> T* as() const { return static_cast<T*>(data); }
};

using kernel_fn = void (*)(const node& n, const buffer* in, const buffer& out);

// nullptr for ops the executor binds instead of running (placeholder, constant, read_variable).
kernel_fn kernel_for(op_kind k);

// Ops whose output is their first input's memory: the planner aliases instead of copying.
bool output_aliases_input(op_kind k);

constexpr std::int64_t kParallelThreshold = 32768;

// Row-major strides of `shape` as seen from `out_shape` (0 on broadcast dimensions).
void broadcast_strides(const shape_t& shape, const shape_t& out_shape, std::int64_t* strides);

}  // namespace tl::detail
