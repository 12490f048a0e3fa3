// trace-capture-left-open: a capture begun and, on some path, never ended. The stream stays in
// capture mode and every later call on it fails (cudaErrorStreamCaptureInvalidated and friends).
// Every status here is checked, so that only the lifecycle is under test.
#include <cuda_graph_decls.h>

void report(cudaError_t e);
[[noreturn]] void fatal(const char *why);

#define CUDA_CHECK(call)         \
  do {                           \
    cudaError_t e_ = (call);     \
    if (e_ != cudaSuccess) {     \
      report(e_);                \
      return;                    \
    }                            \
  } while (0)

__global__ void step(float *x, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] += 1;
}

void early_return(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));  // WARN[trace-capture-left-open]: the capture on 's' begun here is left open by the return
  if (n == 0) return;  // NOTE: leaves the capture open
  step<<<1, 256, 0, s>>>(d, n);
  CUDA_CHECK(cudaStreamEndCapture(s, g));
}

void break_out(cudaStream_t s, float **bufs, int count, int n, cudaGraph_t *graphs) {
  for (int i = 0; i < count; ++i) {
    CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));  // WARN[trace-capture-left-open]: left open by the 'break'
    if (!bufs[i]) break;  // NOTE: leaves the capture open
    step<<<1, 256, 0, s>>>(bufs[i], n);
    CUDA_CHECK(cudaStreamEndCapture(s, &graphs[i]));
  }
}

void continue_past_end(cudaStream_t s, float **bufs, int count, int n, cudaGraph_t *graphs) {
  for (int i = 0; i < count; ++i) {
    CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));  // WARN[trace-capture-left-open]: left open by the 'continue'
    if (!bufs[i]) continue;  // NOTE: leaves the capture open
    step<<<1, 256, 0, s>>>(bufs[i], n);
    CUDA_CHECK(cudaStreamEndCapture(s, &graphs[i]));
  }
}

int goto_cleanup(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  int rc = 0;
  if (cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal) != cudaSuccess) return -1;  // WARN[trace-capture-left-open]: left open by the 'goto'
  if (n < 0) {
    rc = -2;
    goto cleanup;  // NOTE: leaves the capture open
  }
  step<<<1, 256, 0, s>>>(d, n);
  if (cudaStreamEndCapture(s, g) != cudaSuccess) rc = -3;
cleanup:
  return rc;
}

// A callee that throws: the exception leaves the capture open unless something ends it.
void validate(int n) {
  if (n > 4096) throw n;
}

void callee_throws(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));  // WARN[trace-capture-left-open]: left open by an exception from 'validate'
  validate(n);  // NOTE: leaves the capture open
  step<<<1, 256, 0, s>>>(d, n);
  CUDA_CHECK(cudaStreamEndCapture(s, g));
}

void throws_itself(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));  // WARN[trace-capture-left-open]: left open by the 'throw'
  if (n < 0) throw n;  // NOTE: leaves the capture open
  step<<<1, 256, 0, s>>>(d, n);
  CUDA_CHECK(cudaStreamEndCapture(s, g));
}

void ended_on_one_branch(cudaStream_t s, float *d, int n, bool keep, cudaGraph_t *g) {
  CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));  // WARN[trace-capture-left-open]: left open by the branch that skips the end
  step<<<1, 256, 0, s>>>(d, n);
  if (keep) {  // NOTE: leaves the capture open
    CUDA_CHECK(cudaStreamEndCapture(s, g));
  }
}

// Begun and ended through helpers: the caller's early return leaves the capture open.
void start_capture(cudaStream_t s) { CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal)); }
void finish_capture(cudaStream_t s, cudaGraph_t *g) { CUDA_CHECK(cudaStreamEndCapture(s, g)); }

void through_helpers(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  start_capture(s);  // WARN[trace-capture-left-open]: left open by the return
  if (!d) return;  // NOTE: leaves the capture open
  step<<<1, 256, 0, s>>>(d, n);
  finish_capture(s, g);
}

// ---- Correct code: nothing below is reported. ----

// RAII: the guard's destructor ends the capture on every path, exceptions included.
struct CaptureScope {
  cudaStream_t stream;
  cudaGraph_t *graph;
  CaptureScope(cudaStream_t s, cudaGraph_t *g) : stream(s), graph(g) {
    cudaError_t e = cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
    if (e != cudaSuccess) report(e);
  }
  ~CaptureScope() {
    cudaError_t e = cudaStreamEndCapture(stream, graph);
    if (e != cudaSuccess) report(e);
  }
};

void guarded(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  CaptureScope scope(s, g);
  if (n == 0) return;
  validate(n);
  step<<<1, 256, 0, s>>>(d, n);
}

// A guard that takes over a capture begun before it.
struct EndCaptureOnExit {
  cudaStream_t stream;
  cudaGraph_t *graph;
  ~EndCaptureOnExit() {
    cudaError_t e = cudaStreamEndCapture(stream, graph);
    if (e != cudaSuccess) report(e);
  }
};

void handed_to_guard(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  EndCaptureOnExit guard{s, g};
  if (n == 0) return;
  validate(n);
  step<<<1, 256, 0, s>>>(d, n);
}

// A failed begin started no capture: returning then is right.
int begin_failed(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  cudaError_t e = cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
  if (e != cudaSuccess) return -1;
  step<<<1, 256, 0, s>>>(d, n);
  return cudaStreamEndCapture(s, g) == cudaSuccess ? 0 : -1;
}

// The failure branch of a check macro (returning after a failed call) is the program failing,
// not a path through the capture; nor is a call that does not return.
void checked_and_fatal(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  if (!d) fatal("no buffer");
  CUDA_CHECK(cudaMemsetAsync(d, 0, n * sizeof(float), s));
  step<<<1, 256, 0, s>>>(d, n);
  CUDA_CHECK(cudaStreamEndCapture(s, g));
}

// Callees whose bodies this file lacks are not assumed to throw (the rule page says so); a
// handler that ends the capture before rethrowing is the try/catch form of the guard.
void opaque(float *d);
void with_handler(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  opaque(d);
  try {
    validate(n);
  } catch (...) {
    (void)cudaStreamEndCapture(s, g);  // its status would hide the exception's
    throw;
  }
  CUDA_CHECK(cudaStreamEndCapture(s, g));
}

// The end runs in a function handed over as a callable (a thread, a callback).
void end_on_worker(cudaStream_t s, cudaGraph_t *g) { CUDA_CHECK(cudaStreamEndCapture(s, g)); }
void run_async(void (*fn)(cudaStream_t, cudaGraph_t *), cudaStream_t s, cudaGraph_t *g);
void ended_elsewhere(cudaStream_t s, float *d, int n, cudaGraph_t *g) {
  CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeRelaxed));
  step<<<1, 256, 0, s>>>(d, n);
  run_async(end_on_worker, s, g);
  // The capture ended where end_on_worker was handed over: waiting now is not inside it.
  CUDA_CHECK(cudaStreamSynchronize(s));
}

// Loops that begin and end on every iteration, with an early exit outside the region.
void per_iteration(cudaStream_t s, float **bufs, int count, int n, cudaGraph_t *graphs) {
  for (int i = 0; i < count; ++i) {
    if (!bufs[i]) continue;
    CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
    for (int k = 0; k < 4; ++k) {
      if (k == n) break;
      step<<<1, 256, 0, s>>>(bufs[i], n);
    }
    CUDA_CHECK(cudaStreamEndCapture(s, &graphs[i]));
  }
}

// Captures begun in one loop over streams and ended in a later loop over the same streams.
void begun_in_one_loop_ended_in_another(cudaStream_t *streams, int count, cudaGraph_t *graphs, float *d, int n) {
  for (int i = 0; i < count; ++i) {
    CUDA_CHECK(cudaStreamBeginCapture(streams[i], cudaStreamCaptureModeRelaxed));
    step<<<1, 256, 0, streams[i]>>>(d, n);
  }
  for (int i = 0; i < count; ++i) CUDA_CHECK(cudaStreamEndCapture(streams[i], &graphs[i]));
}

// The same shape with an explicit exit in between is still reported.
void per_stream_early_exit(cudaStream_t *streams, int count, cudaGraph_t *graphs, float *d, int n) {
  for (int i = 0; i < count; ++i) {
    CUDA_CHECK(cudaStreamBeginCapture(streams[i], cudaStreamCaptureModeRelaxed));  // WARN[trace-capture-left-open]: left open by the return
    if (!d) return;  // NOTE: leaves the capture open
    step<<<1, 256, 0, streams[i]>>>(d, n);
  }
  for (int i = 0; i < count; ++i) CUDA_CHECK(cudaStreamEndCapture(streams[i], &graphs[i]));
}
