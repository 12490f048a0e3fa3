// Capture-unsafe calls the pack knows, each reported with the reason the API documents (issue
// 29.3): synchronization, blocking copies and memsets, allocation and free outside the
// stream-ordered allocator, and header-only library wrappers named by qualified name. The toolkit
// is CUDA 12.8 here: cudaMemcpyBatchAsync is capturable (capture_unsafe_cuda13.cu has 13.0).
#define CUDA_VERSION 12080
#include <cuda_graph_decls.h>

// The library wrappers, declared as their headers declare them (bodies left out).
namespace thrust {
template <class T>
class device_vector {
 public:
  explicit device_vector(size_t n);
  T *data();
};
}  // namespace thrust
namespace cub {
struct CachingDeviceAllocator {
  cudaError_t DeviceAllocate(void **d_ptr, size_t bytes, cudaStream_t active_stream = 0);
  cudaError_t DeviceFree(void *d_ptr);
};
}  // namespace cub
namespace rmm::mr {
class device_memory_resource {
 public:
  void *allocate(size_t bytes, cudaStream_t stream);
  void deallocate(void *p, size_t bytes, cudaStream_t stream);
};
class cuda_memory_resource : public device_memory_resource {};
class cuda_async_memory_resource : public device_memory_resource {};
}  // namespace rmm::mr

__global__ void k(float *x, int n) {}

void runtime_calls(cudaStream_t s, cudaEvent_t ev, float *d, float *h, size_t pitch, int n) {
  cudaGraph_t g;
  void *pinned = nullptr;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  k<<<1, 256, 0, s>>>(d, n);
  cudaEventQuery(ev);  // ERROR[trace-host-read]: 'cudaEventQuery' waits for the device during the capture on 's' (queries an event's status
  cudaMemcpy2D(h, pitch, d, pitch, 16, 4, cudaMemcpyDeviceToHost);  // ERROR[trace-host-read]: 'cudaMemcpy2D' waits for the device during the capture on 's' (a synchronous copy
  cudaMemset2D(d, pitch, 0, 16, 4);  // ERROR[trace-host-read]: (a synchronous memset on the legacy default stream
  cudaHostAlloc(&pinned, 64, 0);  // WARN[trace-variable-creation]: 'cudaHostAlloc' allocates during the capture on 's' (pinned host allocation
  cudaHostRegister(h, 64, 0);  // WARN[trace-variable-creation]: 'cudaHostRegister' allocates during the capture on 's' (page-locks host memory
  cudaMemcpyBatchAsync(nullptr, nullptr, nullptr, 0, nullptr, nullptr, 0, nullptr, s);
  cudaStreamEndCapture(s, &g);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
}

void library_wrappers(cudaStream_t s, cub::CachingDeviceAllocator &cache, rmm::mr::cuda_memory_resource &mr,
                      rmm::mr::cuda_async_memory_resource &async_mr, int n) {
  cudaGraph_t g;
  void *tmp = nullptr;
  if (cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal) != cudaSuccess) return;
  thrust::device_vector<float> scratch(n);  // WARN[trace-variable-creation]: 'thrust::device_vector::device_vector' allocates during the capture on 's' (allocates with cudaMalloc through thrust::device_allocator
  cache.DeviceAllocate(&tmp, n * sizeof(float), s);  // WARN[trace-variable-creation]: 'cub::CachingDeviceAllocator::DeviceAllocate' allocates
  void *buf = mr.allocate(n * sizeof(float), s);  // WARN[trace-variable-creation]: 'rmm::mr::cuda_memory_resource::allocate' allocates during the capture on 's' (cudaMalloc underneath
  void *ok = async_mr.allocate(n * sizeof(float), s);  // stream-ordered: recorded as a memory node
  k<<<1, 256, 0, s>>>(scratch.data(), n);
  async_mr.deallocate(ok, n * sizeof(float), s);
  mr.deallocate(buf, n * sizeof(float), s);  // ERROR[trace-host-read]: 'rmm::mr::cuda_memory_resource::deallocate' waits for the device
  cache.DeviceFree(tmp);  // ERROR[trace-host-read]: 'cub::CachingDeviceAllocator::DeviceFree' waits for the device
  if (cudaStreamEndCapture(s, &g) != cudaSuccess) return;
}
