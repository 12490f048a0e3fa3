// CPU work between cudaStreamBeginCapture and cudaStreamEndCapture is not recorded: it runs once,
// while capturing, and every cudaGraphLaunch skips it. Host nodes (cudaLaunchHostFunc) are the
// recorded form of CPU work.
#include <cuda_graph_decls.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

__global__ void axpy(float *y, const float *x, float a, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] += a * x[i];
}

// Device code is recorded as a kernel node: its writes happen on every replay.
__device__ int g_device_hits;
__global__ void report(const float *y) {
  if (y[0] > 0) g_device_hits++;
}

int g_kernels_launched = 0;
static double g_elapsed = 0;

struct Step {
  int issued = 0;
  cudaGraphExec_t exec = nullptr;

  void record(cudaStream_t s, float *y, const float *x, int n) {
    cudaGraph_t graph;
    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
    axpy<<<(n + 255) / 256, 256, 0, s>>>(y, x, 0.5f, n);
    ++issued;  // WARN[trace-host-mutation]: member 'issued' is incremented during the capture on 's'
    cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
    cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  }
};

void counts_launches(cudaStream_t s, float *y, const float *x, int n) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  for (int layer = 0; layer < 4; ++layer) {
    axpy<<<(n + 255) / 256, 256, 0, s>>>(y, x, 1.0f, n);
    g_kernels_launched++;  // WARN[trace-host-mutation]: global 'g_kernels_launched' is incremented during the capture on 's'
  }
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  for (int i = 0; i < 100; ++i) cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
}

void logs_inside(cudaStream_t s, float *y, const float *x, int n) {
  cudaGraph_t graph;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  std::printf("launching axpy\n");  // WARN[trace-host-io]: 'printf' does host I/O during the capture on 's'
  axpy<<<1, 256, 0, s>>>(y, x, 1.0f, n);
  std::cout << "queued " << n << " elements\n";  // WARN[trace-host-io]: does host I/O during the capture on 's'
  report<<<1, 1, 0, s>>>(y);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
}

void random_scale(cudaStream_t s, float *y, const float *x, int n) {
  cudaGraph_t graph;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  float jitter = static_cast<float>(std::rand()) / RAND_MAX;  // WARN[trace-host-random]: 'rand' draws a host random number or reads a clock during the capture on 's'
  axpy<<<1, 256, 0, s>>>(y, x, jitter, n);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
}

void timed_capture(cudaStream_t s, float *y, const float *x, int n) {
  cudaGraph_t graph;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  auto t0 = std::chrono::steady_clock::now();  // WARN[trace-host-random]: 'std::chrono::steady_clock::now' draws a host random number or reads a clock during the capture on 's'
  axpy<<<1, 256, 0, s>>>(y, x, 1.0f, n);
  g_elapsed += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();  // WARN[trace-host-mutation]: 'g_elapsed' is assigned during the capture // WARN[trace-host-random]: 'std::chrono::steady_clock::now' draws
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
}

void bump_counter(void *data) { ++*static_cast<int *>(data); }
void print_done(void *) { std::printf("step done\n"); }

// Host nodes: the callback is part of the graph and runs on every launch.
void host_node_idiom(cudaStream_t s, float *y, const float *x, int n, int *steps) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  axpy<<<(n + 255) / 256, 256, 0, s>>>(y, x, 1.0f, n);
  cudaLaunchHostFunc(s, bump_counter, steps);
  cudaLaunchHostFunc(s, print_done, nullptr);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  for (int i = 0; i < 10; ++i) cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
}

// Host work before and after the capture runs every time the function does.
void host_work_outside(cudaStream_t s, float *y, const float *x, int n) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  std::printf("capturing\n");
  g_kernels_launched += 1;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  int blocks = (n + 255) / 256;
  axpy<<<blocks, 256, 0, s>>>(y, x, 1.0f, n);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  std::cout << "instantiated\n";
  for (int i = 0; i < 10; ++i) {
    cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
    g_kernels_launched++;
  }
  cudaGraphExecDestroy(exec);
  cudaGraphDestroy(graph);
}

// Locals of the capturing function are ordinary host variables: recording them is fine.
void locals_only(cudaStream_t s, float *y, const float *x, int n) {
  cudaGraph_t graph;
  int launched = 0;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  for (int offset = 0; offset < n; offset += 1024) {
    axpy<<<4, 256, 0, s>>>(y + offset, x + offset, 1.0f, n - offset);
    ++launched;
  }
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  (void)launched;
}
