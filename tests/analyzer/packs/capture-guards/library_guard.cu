// A guard type named by a pack (capture_guard_types): its destructor lives in a library, so only
// the pack can say that it ends the capture. Run with --config-file=guards-config.json of this directory.
#include <cuda_graph_decls.h>

namespace gpulib {
// Ends the capture on `stream` when destroyed (declared only: the body is in the library).
class ScopedCapture {
 public:
  ScopedCapture(cudaStream_t stream, cudaGraph_t *graph);
  ~ScopedCapture();
};
// Not a guard: holds a stream, ends nothing.
class StreamLease {
 public:
  explicit StreamLease(cudaStream_t stream);
  ~StreamLease();
};
}  // namespace gpulib

void report(cudaError_t e);
#define CHECK(call)                        \
  do {                                     \
    cudaError_t e_ = (call);               \
    if (e_ != cudaSuccess) report(e_);     \
  } while (0)

__global__ void step(float *x, int n) {}

// Internal linkage and no caller: without the guard, nothing could ever end this capture.
static void with_library_guard(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  gpulib::ScopedCapture guard(s, g);
  if (n == 0) return;
  step<<<1, 256, 0, s>>>(d, n);
}

void with_other_object(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));  // WARN[trace-capture-left-open]: left open by the return
  gpulib::StreamLease lease(s);
  if (n == 0) return;  // NOTE: leaves the capture open
  step<<<1, 256, 0, s>>>(d, n);
  CHECK(cudaStreamEndCapture(s, g));
}
void use_it(cudaStream_t s, float *d, int n, cudaGraph_t *g) { void (*fn)(cudaStream_t, float *, int, cudaGraph_t *) = with_library_guard; fn(s, d, n, g); }
