// trace-runtime-owned-params: the kernelParams (and extra) array a node query returns, and the
// argument values it points to, belong to the node ("should not be modified directly"). Writing
// through it changes memory the runtime owns; copy the parameters instead and set them.
#include <cuda_graph_decls.h>

#define CHECK(call)                        \
  do {                                     \
    cudaError_t e_ = (call);               \
    if (e_ != cudaSuccess) __builtin_trap(); \
  } while (0)

void patch_in_place(cudaGraphExec_t exec, cudaGraphNode_t node, float *next, int n) {
  cudaKernelNodeParams p;
  CHECK(cudaGraphKernelNodeGetParams(node, &p));
  *static_cast<int *>(p.kernelParams[1]) = n;  // WARN[trace-runtime-owned-params]: writes into the kernel parameters 'cudaGraphKernelNodeGetParams' returned
  p.kernelParams[0] = &next;  // WARN[trace-runtime-owned-params]: 'p.kernelParams[0]'
  CHECK(cudaGraphExecKernelNodeSetParams(exec, node, &p));
}

void patch_through_pointer(cudaGraphNode_t node, int n) {
  cudaKernelNodeParams params;
  CHECK(cudaGraphKernelNodeGetParams(node, &params));
  int **count = reinterpret_cast<int **>(params.kernelParams);
  params.extra[0] = nullptr;  // WARN[trace-runtime-owned-params]: 'params.extra[0]'
  (void)count;
}

// ---- The copy: nothing below is reported. ----

void copy_then_set(cudaGraphExec_t exec, cudaGraphNode_t node, float *next, int n) {
  cudaKernelNodeParams p;
  CHECK(cudaGraphKernelNodeGetParams(node, &p));
  void *args[] = {&next, &n};
  p.kernelParams = args;  // our own array from here on
  p.kernelParams[1] = &n;
  p.gridDim = dim3((n + 255) / 256);
  CHECK(cudaGraphExecKernelNodeSetParams(exec, node, &p));
}

int read_only(cudaGraphNode_t node) {
  cudaKernelNodeParams p;
  CHECK(cudaGraphKernelNodeGetParams(node, &p));
  return *static_cast<int *>(p.kernelParams[1]);
}

void before_the_query(cudaGraphNode_t node, float *x, int n) {
  cudaKernelNodeParams p;
  void *args[] = {&x, &n};
  p.kernelParams = args;
  p.kernelParams[0] = &x;
  CHECK(cudaGraphKernelNodeSetParams(node, &p));
}
