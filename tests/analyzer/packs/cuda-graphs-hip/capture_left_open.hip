// trace-capture-left-open with HIP names: hipStreamBeginCapture without hipStreamEndCapture on some
// path leaves the stream capturing (hipErrorStreamCaptureInvalidated on its next use).
#include <hip/hip_runtime.h>

#include <cstdlib>

#define HIP_CHECK(expr)                      \
  do {                                       \
    hipError_t status_ = (expr);             \
    if (status_ != hipSuccess) std::abort(); \
  } while (0)

__global__ void scale(float *y, float a, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] *= a;
}

bool record_scaled(hipStream_t s, float *y, int n, hipGraph_t *g) {
  HIP_CHECK(hipStreamBeginCapture(s, hipStreamCaptureModeGlobal));  // WARN[trace-capture-left-open]: the capture on 's' begun here is left open by the return
  if (n <= 0) return false;  // NOTE: leaves the capture open
  hipLaunchKernelGGL(scale, dim3((n + 255) / 256), dim3(256), 0, s, y, 2.0f, n);
  HIP_CHECK(hipStreamEndCapture(s, g));
  return true;
}

void record_each(hipStream_t s, float **ys, int count, int n, hipGraph_t *gs) {
  for (int i = 0; i < count; ++i) {
    HIP_CHECK(hipStreamBeginCapture(s, hipStreamCaptureModeGlobal));  // WARN[trace-capture-left-open]: left open by the 'break'
    if (!ys[i]) break;  // NOTE: leaves the capture open
    scale<<<1, 256, 0, s>>>(ys[i], 0.5f, n);
    HIP_CHECK(hipStreamEndCapture(s, &gs[i]));
  }
}

// The guard form: the destructor ends the capture on every way out.
struct HipCapture {
  hipStream_t stream;
  hipGraph_t *graph;
  HipCapture(hipStream_t s, hipGraph_t *g) : stream(s), graph(g) {
    HIP_CHECK(hipStreamBeginCapture(s, hipStreamCaptureModeGlobal));
  }
  ~HipCapture() { (void)hipStreamEndCapture(stream, graph); }
};

bool guarded(hipStream_t s, float *y, int n, hipGraph_t *g) {
  HipCapture capture(s, g);
  if (n <= 0) return false;
  scale<<<1, 256, 0, s>>>(y, 3.0f, n);
  return true;
}

// Every exit after the end: nothing is left open.
bool ended_first(hipStream_t s, float *y, int n, hipGraph_t *g) {
  HIP_CHECK(hipStreamBeginCapture(s, hipStreamCaptureModeGlobal));
  scale<<<1, 256, 0, s>>>(y, 3.0f, n);
  hipError_t e = hipStreamEndCapture(s, g);
  if (e != hipSuccess || n <= 0) return false;
  return true;
}
