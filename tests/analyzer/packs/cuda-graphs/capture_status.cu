// trace-capture-status-ignored: the status of begin, end, instantiate and launch is the only way a
// failed capture shows; dropping it hides the cause and a later call fails instead.
#include <cuda_graph_decls.h>

#include <cstdio>
#include <cstdlib>

#define checkCudaErrors(val) check((val), #val, __FILE__, __LINE__)
template <typename T>
void check(T result, const char *what, const char *file, int line) {
  if (result) {
    std::fprintf(stderr, "CUDA error at %s:%d \"%s\"\n", file, line, what);
    std::exit(EXIT_FAILURE);
  }
}

__global__ void axpy(float *y, const float *x, int n) {}

void all_dropped(cudaStream_t s, float *y, const float *x, int n) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: the status returned by 'cudaStreamBeginCapture' is discarded in 'all_dropped'
  axpy<<<1, 256, 0, s>>>(y, x, n);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  for (int i = 0; i < 10; ++i) cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
  checkCudaErrors(cudaStreamSynchronize(s));
}

// A status stored and overwritten before anyone reads it is dropped too.
cudaError_t overwritten(cudaStream_t s, float *y, const float *x, int n, cudaGraph_t *graph) {
  cudaError_t err = cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: stored in 'err' and never read in 'overwritten'
  axpy<<<1, 256, 0, s>>>(y, x, n);
  err = cudaStreamEndCapture(s, graph);
  return err;
}

void stored_never_read(cudaGraphExec_t exec, cudaStream_t s) {
  cudaError_t launched = cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: stored in 'launched' and never read
}

// ---- Checked: nothing below is reported. ----

void checked(cudaStream_t s, float *y, const float *x, int n) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  checkCudaErrors(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  axpy<<<1, 256, 0, s>>>(y, x, n);
  checkCudaErrors(cudaStreamEndCapture(s, &graph));
  if (cudaGraphInstantiate(&exec, graph, 0) != cudaSuccess) return;
  cudaError_t e = cudaGraphLaunch(exec, s);
  if (e != cudaSuccess) std::fprintf(stderr, "launch failed: %d\n", static_cast<int>(e));
}

cudaError_t returned(cudaGraphExec_t exec, cudaStream_t s) { return cudaGraphLaunch(exec, s); }

bool compared(cudaGraphExec_t exec, cudaStream_t s) { return cudaGraphLaunch(exec, s) == cudaSuccess; }

void deliberately_void(cudaStream_t s, cudaGraph_t *g) {
  // Tearing down after an earlier failure: the end's status is not wanted, and says so.
  (void)cudaStreamEndCapture(s, g);
}

void accumulated(cudaGraphExec_t exec, cudaStream_t s, int &failures) {
  cudaError_t e = cudaGraphLaunch(exec, s);
  failures += e != cudaSuccess;
}

// Not a lifecycle call: its status is another, noisier rule's business.
void other_calls(cudaStream_t s, float *d, int n) {
  cudaMemsetAsync(d, 0, n * sizeof(float), s);
  cudaStreamSynchronize(s);
}
