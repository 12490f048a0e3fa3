// Kernel arguments are copied into the graph when the launch is captured: every cudaGraphLaunch
// uses the captured values and addresses. Changing a host value afterwards changes nothing unless
// the instantiated graph is updated (cudaGraphExecKernelNodeSetParams, or a new capture and
// cudaGraphExecUpdate); data behind a captured pointer is read on every replay.
#include <cuda_graph_decls.h>

#include <vector>

__global__ void scale(float *x, float a, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] *= a;
}

void changes_scalar(cudaStream_t s, float *d, int n) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  float factor = 0.5f;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  scale<<<(n + 255) / 256, 256, 0, s>>>(d, factor, n);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
  factor = 0.25f;  // WARN[trace-stale-capture]: 'factor' is changed here, but the capture on 's' baked its value into the graph
  cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
}

void changes_in_loop(cudaStream_t s, float *d, int n, int steps) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  int active = n;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  scale<<<(n + 255) / 256, 256, 0, s>>>(d, 2.0f, active);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  for (int step = 0; step < steps; ++step) {
    active = n - step;  // WARN[trace-stale-capture]: 'active' is changed here, but the capture on 's' baked its value
    cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
  }
}

void swaps_pointer(cudaStream_t s, float *a, float *b, int n) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  float *cur = a;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  scale<<<1, 256, 0, s>>>(cur, 2.0f, n);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  for (int i = 0; i < 8; ++i) {
    cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
    cur = (cur == a) ? b : a;  // WARN[trace-stale-capture]: 'cur' is changed here, but the capture on 's' baked its value
  }
}

// Two parameter sets, switched with cudaGraphExecKernelNodeSetParams before each launch.
void set_params_ping_pong(cudaStream_t s, cudaGraphNode_t node, float *a, float *b, int n) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  float factor = 2.0f;
  int count = n;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  scale<<<1, 256, 0, s>>>(a, factor, count);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  void *args_a[] = {&a, &factor, &count};
  void *args_b[] = {&b, &factor, &count};
  cudaKernelNodeParams params[2];
  params[0].kernelParams = args_a;
  params[1].kernelParams = args_b;
  for (int i = 0; i < 16; ++i) {
    factor = 1.0f + i;
    cudaGraphExecKernelNodeSetParams(exec, node, &params[i % 2]);
    cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
  }
}

// Capture again with the new value and update the instantiated graph in place.
void recapture_and_update(cudaStream_t s, float *d, int n, int steps) {
  cudaGraph_t graph;
  cudaGraphExec_t exec = nullptr;
  float factor = 1.0f;
  for (int step = 0; step < steps; ++step) {
    factor = 1.0f / (step + 1);
    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
    scale<<<(n + 255) / 256, 256, 0, s>>>(d, factor, n);
    cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
    if (exec == nullptr) {
      cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
    } else {
      cudaGraphExecUpdateResultInfo info;
      if (cudaGraphExecUpdate(exec, graph, &info) != cudaSuccess) {
        cudaGraphExecDestroy(exec);
        cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
      }
    }
    cudaGraphDestroy(graph);
    cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
  }
}

// New inputs go into the captured buffers; the graph reads them on every replay.
void copy_into_captured_buffers(cudaStream_t s, float *d_in, float *h_in, int n, int steps) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  cudaMemcpyAsync(d_in, h_in, n * sizeof(float), cudaMemcpyHostToDevice, s);
  scale<<<(n + 255) / 256, 256, 0, s>>>(d_in, 3.0f, n);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  for (int step = 0; step < steps; ++step) {
    for (int i = 0; i < n; ++i) h_in[i] = static_cast<float>(step + i);
    cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
    cudaStreamSynchronize(s);
  }
}

// A value written before the capture is the value recorded.
void written_before_capture(cudaStream_t s, float *d, int n) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  float factor = 1.0f;
  factor = 4.0f;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  scale<<<1, 256, 0, s>>>(d, factor, n);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
  cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
}

// Changed after the last launch: no replay sees it.
void changed_after_last_launch(cudaStream_t s, float *d, int n) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  int count = n;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  scale<<<1, 256, 0, s>>>(d, 2.0f, count);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
  count = 0;
  (void)count;
}
