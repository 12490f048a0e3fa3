// Capture that begins in one function and ends in another, and code that asks whether it runs
// during a capture (a flag the capturing code keeps, or the stream's capture status).
#include <cuda_graph_decls.h>

#include <cstdio>

__global__ void step_kernel(float *x, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] += 1.0f;
}

int g_evaluations = 0;

// A graph wrapper in the style of many engines: begin in one method, end in another.
class GraphRunner {
 public:
  void begin(cudaStream_t s) {
    stream_ = s;
    capturing_ = true;
    cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  }
  void end() {
    cudaStreamEndCapture(stream_, &graph_);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
    capturing_ = false;
    cudaGraphInstantiate(&exec_, graph_, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
    ready_ = true;
  }
  void launch() { cudaGraphLaunch(exec_, stream_); }  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
  bool capturing() const { return capturing_; }
  bool ready() const { return ready_; }

  // Shared by the eager and the captured path: waits only when it may.
  void sync_if_eager() {
    if (!capturing_) cudaStreamSynchronize(stream_);
  }

 private:
  cudaStream_t stream_ = nullptr;
  cudaGraph_t graph_ = nullptr;
  cudaGraphExec_t exec_ = nullptr;
  bool capturing_ = false;
  bool ready_ = false;
};

void forward(GraphRunner &runner, cudaStream_t s, float *x, int n) {
  step_kernel<<<(n + 255) / 256, 256, 0, s>>>(x, n);
  runner.sync_if_eager();
}

void forward_counting(cudaStream_t s, float *x, int n) {
  step_kernel<<<(n + 255) / 256, 256, 0, s>>>(x, n);
  ++g_evaluations;  // WARN[trace-host-mutation]: global 'g_evaluations' is incremented during the capture on 'GraphRunner::begin'
}

void forward_blocking(cudaStream_t s, float *x, int n) {
  step_kernel<<<(n + 255) / 256, 256, 0, s>>>(x, n);
  cudaStreamSynchronize(s);  // ERROR[trace-host-read]: 'cudaStreamSynchronize' waits for the device during the capture on 'GraphRunner::begin'
}

// Capture split across the runner's methods, work in between: the work is capture-time code.
void split_capture(GraphRunner &runner, cudaStream_t s, float *x, int n) {
  runner.begin(s);
  forward(runner, s, x, n);
  forward_counting(s, x, n);
  forward_blocking(s, x, n);
  runner.end();
  for (int i = 0; i < 10; ++i) runner.launch();
  forward_blocking(s, x, n);  // eager, after the capture ended
}

// Flag-guarded capture: capture once, replay afterwards.
void capture_once(GraphRunner &runner, cudaStream_t s, float *x, int n) {
  if (!runner.ready()) {
    runner.begin(s);
    forward(runner, s, x, n);
    runner.end();
  }
  runner.launch();
}

// Free functions that begin and end capture on a stream they are given.
void start_capture(cudaStream_t s) { cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal); }  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
void finish_capture(cudaStream_t s, cudaGraph_t *g) {
  cudaStreamEndCapture(s, g);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaStreamSynchronize(s);  // after the end: not capture-time
}

void wrapped_capture(cudaStream_t s, float *x, int n) {
  cudaGraph_t graph;
  start_capture(s);
  step_kernel<<<1, 256, 0, s>>>(x, n);
  std::printf("recorded one step\n");  // WARN[trace-host-io]: 'printf' does host I/O during the capture on 'start_capture'
  finish_capture(s, &graph);
  std::printf("captured\n");
}

// Code guarded by an "is capturing" test runs while capturing, wherever it is called from.
int g_captured_launches = 0;
void launch_step(cudaStream_t s, float *x, int n) {
  cudaStreamCaptureStatus status;
  cudaStreamIsCapturing(s, &status);
  if (status == cudaStreamCaptureStatusActive) {
    g_captured_launches++;  // WARN[trace-host-mutation]: global 'g_captured_launches' is incremented during the capture on 'the capture tested at line
  } else {
    g_evaluations++;
  }
  step_kernel<<<1, 256, 0, s>>>(x, n);
}

void eager_only(GraphRunner &runner, cudaStream_t s, float *x, int n) {
  if (!runner.capturing()) {
    forward_blocking(s, x, n);
  }
}
