// trace-runtime-owned-params with HIP names: hipGraphKernelNodeGetParams hands out the node's own
// kernelParams array.
#include <hip/hip_runtime.h>

void patch_in_place(hipGraphExec_t exec, hipGraphNode_t node, int n) {
  hipKernelNodeParams p;
  if (hipGraphKernelNodeGetParams(node, &p) != hipSuccess) return;
  *static_cast<int *>(p.kernelParams[1]) = n;  // WARN[trace-runtime-owned-params]: writes into the kernel parameters 'hipGraphKernelNodeGetParams' returned
  (void)hipGraphExecKernelNodeSetParams(exec, node, &p);
}

void copied(hipGraphExec_t exec, hipGraphNode_t node, float *x, int n) {
  hipKernelNodeParams p;
  if (hipGraphKernelNodeGetParams(node, &p) != hipSuccess) return;
  void *args[] = {&x, &n};
  p.kernelParams = args;
  (void)hipGraphExecKernelNodeSetParams(exec, node, &p);
}
