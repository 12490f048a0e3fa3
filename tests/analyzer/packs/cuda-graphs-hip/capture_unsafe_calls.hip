// Capture-unsafe HIP calls the pack knows (issue 29.3), each reported with the documented reason.
#include <hip/hip_runtime.h>

__global__ void k(float *x, int n) {}

#define HIP_CHECK(expr)                   \
  do {                                    \
    hipError_t e_ = (expr);               \
    if (e_ != hipSuccess) __builtin_trap(); \
  } while (0)

void unsafe(hipStream_t s, hipEvent_t ev, float *d, float *h, size_t pitch, int n) {
  hipGraph_t g;
  void *pinned = nullptr;
  HIP_CHECK(hipStreamBeginCapture(s, hipStreamCaptureModeGlobal));
  k<<<1, 256, 0, s>>>(d, n);
  (void)hipEventQuery(ev);  // ERROR[trace-host-read]: 'hipEventQuery' waits for the device during the capture on 's' (queries an event's status
  (void)hipMemcpy2D(h, pitch, d, pitch, 16, 4, hipMemcpyDeviceToHost);  // ERROR[trace-host-read]: (a synchronous copy
  (void)hipHostRegister(h, 64, 0);  // WARN[trace-variable-creation]: 'hipHostRegister' allocates during the capture on 's' (page-locks host memory
  (void)hipHostMalloc(&pinned, 64, 0);  // WARN[trace-variable-creation]: 'hipHostMalloc' allocates during the capture on 's' (pinned host allocation
  HIP_CHECK(hipStreamEndCapture(s, &g));
}
