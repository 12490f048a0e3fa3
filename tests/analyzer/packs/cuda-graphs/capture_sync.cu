// Operations that synchronize the CPU with the GPU are prohibited while a stream captures
// (cudaErrorStreamCaptureUnsupported); allocations are not captured. The asynchronous forms on the
// captured stream are recorded as graph nodes.
#include <cuda_graph_decls.h>

__global__ void relu(float *x, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n && x[i] < 0) x[i] = 0;
}

#define CUDA_CHECK(call) \
  do {                   \
    cudaError_t err_ = (call); \
    (void)err_;          \
  } while (0)

void syncs_inside(cudaStream_t s, float *d, float *h, int n) {
  cudaGraph_t graph;
  CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  relu<<<(n + 255) / 256, 256, 0, s>>>(d, n);
  CUDA_CHECK(cudaStreamSynchronize(s));  // ERROR[trace-host-read]: 'cudaStreamSynchronize' waits for the device during the capture on 's'
  cudaMemcpy(h, d, n * sizeof(float), cudaMemcpyDeviceToHost);  // ERROR[trace-host-read]: 'cudaMemcpy' waits for the device during the capture on 's'
  cudaDeviceSynchronize();  // ERROR[trace-host-read]: 'cudaDeviceSynchronize' waits for the device
  CUDA_CHECK(cudaStreamEndCapture(s, &graph));
}

void event_wait(cudaStream_t s, cudaEvent_t done, float *d, int n) {
  cudaGraph_t graph;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeRelaxed);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  relu<<<1, 256, 0, s>>>(d, n);
  cudaEventRecord(done, s);
  cudaEventSynchronize(done);  // ERROR[trace-host-read]: 'cudaEventSynchronize' waits for the device
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
}

void frees_inside(cudaStream_t s, float *scratch, float *d, int n) {
  cudaGraph_t graph;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  relu<<<1, 256, 0, s>>>(d, n);
  cudaFree(scratch);  // ERROR[trace-host-read]: 'cudaFree' waits for the device
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
}

void allocates_inside(cudaStream_t s, int n) {
  cudaGraph_t graph;
  float *tmp = nullptr;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  cudaMalloc(reinterpret_cast<void **>(&tmp), n * sizeof(float));  // WARN[trace-variable-creation]: 'cudaMalloc' allocates during the capture on 's'
  relu<<<1, 256, 0, s>>>(tmp, n);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
}

struct Workspace {
  float *buf = nullptr;
  int size = 0;
  // Grows the buffer on demand: fine eagerly, refused while capturing.
  float *get(int n) {
    if (n > size) {
      cudaFree(buf);  // ERROR[trace-host-read]: 'cudaFree' waits for the device during the capture on 's'
      cudaMalloc(reinterpret_cast<void **>(&buf), n * sizeof(float));  // WARN[trace-variable-creation]: 'cudaMalloc' allocates during the capture on 's'
      size = n;  // bookkeeping in a grow-once branch: not needed on replay
    }
    return buf;
  }
};

void helper_allocates(cudaStream_t s, Workspace &ws, int n) {
  cudaGraph_t graph;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  float *x = ws.get(n);
  relu<<<1, 256, 0, s>>>(x, n);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
}

// The recorded forms: copies, sets, allocations and frees on the captured stream become nodes.
void async_idioms(cudaStream_t s, float *d, const float *h_pinned, int n) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  float *tmp = nullptr;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  cudaMemcpyAsync(d, h_pinned, n * sizeof(float), cudaMemcpyHostToDevice, s);
  cudaMallocAsync(reinterpret_cast<void **>(&tmp), n * sizeof(float), s);
  cudaMemsetAsync(tmp, 0, n * sizeof(float), s);
  relu<<<(n + 255) / 256, 256, 0, s>>>(d, n);
  cudaFreeAsync(tmp, s);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
  cudaStreamSynchronize(s);  // after the replay: waits for it, as intended
  cudaMemcpy(const_cast<float *>(h_pinned), d, n * sizeof(float), cudaMemcpyDeviceToHost);
}

// A helper shared by eager and captured paths asks the stream whether it is capturing.
void maybe_sync(cudaStream_t s) {
  cudaStreamCaptureStatus status;
  cudaStreamIsCapturing(s, &status);
  if (status == cudaStreamCaptureStatusNone) cudaStreamSynchronize(s);
}

void checked_helper(cudaStream_t s, float *d, int n) {
  cudaGraph_t graph;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  relu<<<1, 256, 0, s>>>(d, n);
  maybe_sync(s);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
}

void get_capture_info(cudaStream_t s, float *d, int n) {
  cudaGraph_t graph;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  relu<<<1, 256, 0, s>>>(d, n);
  cudaStreamCaptureStatus st;
  cudaStreamGetCaptureInfo(s, &st);
  if (st != cudaStreamCaptureStatusActive) {
    cudaDeviceSynchronize();
  } else {
    relu<<<1, 256, 0, s>>>(d, n);
  }
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
}

// Allocate before capturing, free after: nothing of it is recorded.
void allocate_outside(cudaStream_t s, int n) {
  cudaGraph_t graph;
  float *tmp = nullptr;
  cudaMalloc(reinterpret_cast<void **>(&tmp), n * sizeof(float));
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  relu<<<1, 256, 0, s>>>(tmp, n);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaFree(tmp);
}
