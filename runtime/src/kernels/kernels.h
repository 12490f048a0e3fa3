#pragma once
// Kernels: one per op kind, shared by eager execution, constant folding and plan replay. A kernel
// sees concrete shapes only. Work above kParallelThreshold elements runs in an OpenMP region; below
// it a region costs more than it saves (anchors: 0.2-0.8 us per region on this machine).
#include <omp.h>

#include <algorithm>
#include <cstdint>

#include "graph/graph.h"

namespace tl::detail {

struct buffer {
  void* data = nullptr;
  const shape_t* shape = nullptr;
  dtype type = dtype::float32;
  std::int64_t size = 0;
  template <class T>
  T* as() const {
    return static_cast<T*>(data);
  }
};

using kernel_fn = void (*)(const node& n, const buffer* in, const buffer& out);

// nullptr for ops the executor binds instead of running (placeholder, constant, read_variable).
kernel_fn kernel_for(op_kind k);

// Ops whose output is their first input's memory: the planner aliases instead of copying.
bool output_aliases_input(op_kind k);

constexpr std::int64_t kParallelThreshold = 32768;

// Runs body(begin, end) over [0, n): split statically across the OpenMP threads when `parallel`,
// else inline. A pragma `if` clause would still enter the OpenMP runtime on every small call, which
// costs more than the work of a tiny op.
template <class Body>
inline void parallel_range(bool parallel, std::int64_t n, Body&& body) {
  if (!parallel || n < 2 || omp_get_max_threads() == 1) {
    if (n > 0) body(std::int64_t{0}, n);
    return;
  }
#pragma omp parallel
  {
    std::int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    std::int64_t chunk = (n + threads - 1) / threads;
    std::int64_t begin = t * chunk, end = std::min(n, begin + chunk);
    if (begin < end) body(begin, end);
  }
}

struct fused_program;
// Gives `p` its chain form when it has one and every op in it has a vectorized step (kernels/fused.cpp);
// false leaves the program to the interpreter.
bool linearize_program(fused_program& p);

// Row-major strides of `shape` as seen from `out_shape` (0 on broadcast dimensions).
void broadcast_strides(const shape_t& shape, const shape_t& out_shape, std::int64_t* strides);

}  // namespace tl::detail
