// trace-capture-status-ignored with HIP names: hipStreamBeginCapture, hipStreamEndCapture,
// hipGraphInstantiate and hipGraphLaunch report failure only through their hipError_t.
#include <hip/hip_runtime.h>

#include <cstdio>

#define HIP_CHECK(expr)                                                     \
  do {                                                                      \
    hipError_t e_ = (expr);                                                 \
    if (e_ != hipSuccess) std::fprintf(stderr, "%s\n", hipGetErrorString(e_)); \
  } while (0)

__global__ void fill(float *y, float v, int n) {}

void unchecked(hipStream_t s, float *y, int n) {
  hipGraph_t graph;
  hipGraphExec_t exec;
  hipStreamBeginCapture(s, hipStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: the status returned by 'hipStreamBeginCapture' is discarded in 'unchecked'
  fill<<<1, 256, 0, s>>>(y, 1.0f, n);
  hipStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'hipStreamEndCapture' is discarded
  hipGraphInstantiate(&exec, graph, nullptr, nullptr, 0);  // WARN[trace-capture-status-ignored]: 'hipGraphInstantiate' is discarded
  hipGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'hipGraphLaunch' is discarded
  HIP_CHECK(hipStreamSynchronize(s));
}

void stored_and_overwritten(hipGraphExec_t exec, hipStream_t s) {
  hipError_t st = hipGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: stored in 'st' and never read
  st = hipGraphLaunch(exec, s);
  HIP_CHECK(st);
}

void checked(hipStream_t s, float *y, int n) {
  hipGraph_t graph;
  hipGraphExec_t exec;
  HIP_CHECK(hipStreamBeginCapture(s, hipStreamCaptureModeGlobal));
  fill<<<1, 256, 0, s>>>(y, 1.0f, n);
  HIP_CHECK(hipStreamEndCapture(s, &graph));
  hipError_t st = hipGraphInstantiate(&exec, graph, nullptr, nullptr, 0);
  if (st != hipSuccess) return;
  HIP_CHECK(hipGraphLaunch(exec, s));
  // Not a lifecycle call.
  hipStreamSynchronize(s);
}
