// HIP stream capture mirrors CUDA's: hipStreamBeginCapture/hipStreamEndCapture record, hipGraphLaunch
// replays. Parsed against the real HIP headers (Debian's libamdhip64-dev).
#include <hip/hip_runtime.h>

#include <cstdio>
#include <cstdlib>

__global__ void saxpy(float *y, const float *x, float a, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}

#define HIP_CHECK(expr)             \
  do {                              \
    hipError_t status_ = (expr);    \
    if (status_ != hipSuccess) std::abort(); \
  } while (0)

long g_replays = 0;

void host_work_in_capture(hipStream_t s, float *y, const float *x, int n) {
  hipGraph_t graph;
  HIP_CHECK(hipStreamBeginCapture(s, hipStreamCaptureModeGlobal));
  hipLaunchKernelGGL(saxpy, dim3((n + 255) / 256), dim3(256), 0, s, y, x, 2.0f, n);
  g_replays++;  // WARN[trace-host-mutation]: global 'g_replays' is incremented during the capture on 's'
  std::printf("captured saxpy\n");  // WARN[trace-host-io]: 'printf' does host I/O during the capture on 's'
  float a = static_cast<float>(std::rand() % 7);  // WARN[trace-host-random]: 'rand' draws a host random number
  saxpy<<<1, 256, 0, s>>>(y, x, a, n);
  HIP_CHECK(hipStreamEndCapture(s, &graph));
}

void sync_in_capture(hipStream_t s, float *y, float *host, const float *x, int n) {
  hipGraph_t graph;
  float *scratch = nullptr;
  HIP_CHECK(hipStreamBeginCapture(s, hipStreamCaptureModeGlobal));
  saxpy<<<1, 256, 0, s>>>(y, x, 1.0f, n);
  HIP_CHECK(hipStreamSynchronize(s));  // ERROR[trace-host-read]: 'hipStreamSynchronize' waits for the device during the capture on 's'
  HIP_CHECK(hipMemcpy(host, y, n * sizeof(float), hipMemcpyDeviceToHost));  // ERROR[trace-host-read]: 'hipMemcpy' waits for the device
  HIP_CHECK(hipMalloc(reinterpret_cast<void **>(&scratch), n * sizeof(float)));  // WARN[trace-variable-creation]: 'hipMalloc' allocates during the capture on 's'
  HIP_CHECK(hipStreamEndCapture(s, &graph));
}

void stale_argument(hipStream_t s, float *y, const float *x, int n) {
  hipGraph_t graph;
  hipGraphExec_t exec;
  float alpha = 1.0f;
  HIP_CHECK(hipStreamBeginCapture(s, hipStreamCaptureModeGlobal));
  saxpy<<<(n + 255) / 256, 256, 0, s>>>(y, x, alpha, n);
  HIP_CHECK(hipStreamEndCapture(s, &graph));
  HIP_CHECK(hipGraphInstantiate(&exec, graph, nullptr, nullptr, 0));
  for (int i = 0; i < 4; ++i) {
    alpha *= 0.5f;  // WARN[trace-stale-capture]: 'alpha' is changed here, but the capture on 's' baked its value
    HIP_CHECK(hipGraphLaunch(exec, s));
  }
}

void reinstantiates(hipStream_t s, float *y, const float *x, int n, int steps) {
  for (int step = 0; step < steps; ++step) {
    hipGraph_t graph;
    hipGraphExec_t exec;
    HIP_CHECK(hipStreamBeginCapture(s, hipStreamCaptureModeGlobal));  // WARN[trace-function-in-loop]: recorded and instantiated again on every iteration
    saxpy<<<1, 256, 0, s>>>(y, x, static_cast<float>(step), n);
    HIP_CHECK(hipStreamEndCapture(s, &graph));
    HIP_CHECK(hipGraphInstantiate(&exec, graph, nullptr, nullptr, 0));
    HIP_CHECK(hipGraphLaunch(exec, s));
  }
}

void note_step(void *user) { ++*static_cast<long *>(user); }

// The correct forms: host nodes, stream-ordered allocation, update of the executable graph,
// synchronization only when the stream is not capturing.
void idioms(hipStream_t s, float *y, const float *x, int n, long *steps, int tokens) {
  hipGraphExec_t exec = nullptr;
  for (int t = 0; t < tokens; ++t) {
    hipGraph_t graph;
    float *tmp = nullptr;
    HIP_CHECK(hipStreamBeginCapture(s, hipStreamCaptureModeRelaxed));
    HIP_CHECK(hipMallocAsync(reinterpret_cast<void **>(&tmp), n * sizeof(float), s));
    saxpy<<<1, 256, 0, s>>>(tmp, x, static_cast<float>(t), n);
    HIP_CHECK(hipLaunchHostFunc(s, note_step, steps));
    HIP_CHECK(hipFreeAsync(tmp, s));
    hipStreamCaptureStatus status;
    HIP_CHECK(hipStreamIsCapturing(s, &status));
    if (status == hipStreamCaptureStatusNone) HIP_CHECK(hipStreamSynchronize(s));
    HIP_CHECK(hipStreamEndCapture(s, &graph));
    hipGraphExecUpdateResult result;
    hipGraphNode_t error_node;
    if (exec == nullptr || hipGraphExecUpdate(exec, graph, &error_node, &result) != hipSuccess) {
      HIP_CHECK(hipGraphInstantiate(&exec, graph, nullptr, nullptr, 0));
    }
    HIP_CHECK(hipGraphLaunch(exec, s));
    HIP_CHECK(hipGraphDestroy(graph));
  }
  HIP_CHECK(hipStreamSynchronize(s));
  (void)y;
}
