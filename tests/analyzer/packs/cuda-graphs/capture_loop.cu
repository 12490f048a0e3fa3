// A graph pays off when it is instantiated once and launched many times. Capturing and
// instantiating anew on every iteration costs more than the launches it saves; re-capturing is
// fine when cudaGraphExecUpdate refreshes the graph that is already instantiated.
#include <cuda_graph_decls.h>

__global__ void decode_step(float *state, int pos, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) state[i] += pos;
}

void reinstantiates_every_token(cudaStream_t s, float *state, int n, int tokens) {
  for (int pos = 0; pos < tokens; ++pos) {
    cudaGraph_t graph;
    cudaGraphExec_t exec;
    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-function-in-loop]: the capture on 's' is recorded and instantiated again on every iteration  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
    decode_step<<<(n + 255) / 256, 256, 0, s>>>(state, pos, n);
    cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
    cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
    cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(graph);
  }
}

void reinstantiates_in_while(cudaStream_t s, float *state, int n, const bool *more) {
  int pos = 0;
  while (*more) {
    cudaGraph_t graph;
    cudaGraphExec_t exec;
    cudaStreamBeginCapture(s, cudaStreamCaptureModeRelaxed);  // WARN[trace-function-in-loop]: recorded and instantiated again on every iteration  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
    decode_step<<<1, 256, 0, s>>>(state, pos++, n);
    cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
    cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
    cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
  }
}

// llama.cpp-style: capture each step, try to update the executable graph, instantiate only when
// the update is refused.
void updates_each_token(cudaStream_t s, float *state, int n, int tokens) {
  cudaGraphExec_t exec = nullptr;
  for (int pos = 0; pos < tokens; ++pos) {
    cudaGraph_t graph;
    cudaStreamBeginCapture(s, cudaStreamCaptureModeRelaxed);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
    decode_step<<<(n + 255) / 256, 256, 0, s>>>(state, pos, n);
    cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
    cudaGraphExecUpdateResultInfo info;
    if (exec == nullptr || cudaGraphExecUpdate(exec, graph, &info) != cudaSuccess) {
      if (exec != nullptr) cudaGraphExecDestroy(exec);
      cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
    }
    cudaGraphDestroy(graph);
    cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
  }
}

// Instantiate once, launch in the loop.
void instantiate_once(cudaStream_t s, float *state, int n, int steps) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
  decode_step<<<(n + 255) / 256, 256, 0, s>>>(state, 0, n);
  cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
  cudaGraphInstantiate(&exec, graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  for (int i = 0; i < steps; ++i) cudaGraphLaunch(exec, s);  // WARN[trace-capture-status-ignored]: 'cudaGraphLaunch' is discarded
}

// One graph per bucket, built in a loop once at start-up and launched later: each is instantiated once.
void build_buckets(cudaStream_t s, float *state, const int *sizes, cudaGraphExec_t *execs, int buckets) {
  for (int b = 0; b < buckets; ++b) {
    cudaGraph_t graph;
    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);  // WARN[trace-capture-status-ignored]: 'cudaStreamBeginCapture' is discarded
    decode_step<<<(sizes[b] + 255) / 256, 256, 0, s>>>(state, 0, sizes[b]);
    cudaStreamEndCapture(s, &graph);  // WARN[trace-capture-status-ignored]: 'cudaStreamEndCapture' is discarded
    cudaGraphInstantiate(&execs[b], graph, 0);  // WARN[trace-capture-status-ignored]: 'cudaGraphInstantiate' is discarded
  }
}
