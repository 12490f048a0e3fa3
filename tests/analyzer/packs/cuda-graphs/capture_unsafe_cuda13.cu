// cudaMemcpyBatchAsync inside a capture under CUDA 13.0: the pack's entry carries
// "CUDA_VERSION >= 13000", so this file reports it and capture_unsafe_calls.cu (CUDA 12.8) does not.
#define CUDA_VERSION 13000
#include <cuda_graph_decls.h>

void batched_copy(cudaStream_t s, void **dsts, void **srcs, size_t *sizes, size_t count) {
  cudaGraph_t g;
  size_t failed = 0;
  if (cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal) != cudaSuccess) return;
  (void)cudaMemcpyBatchAsync(dsts, srcs, sizes, count, nullptr, nullptr, 0, &failed, s);  // ERROR[trace-host-read]: 'cudaMemcpyBatchAsync' waits for the device during the capture on 's' (has no graph-node form
  if (cudaStreamEndCapture(s, &g) != cudaSuccess) return;
}

// Before the capture it is an ordinary batched copy.
void batched_before(cudaStream_t s, void **dsts, void **srcs, size_t *sizes, size_t count) {
  size_t failed = 0;
  (void)cudaMemcpyBatchAsync(dsts, srcs, sizes, count, nullptr, nullptr, 0, &failed, s);
}
