#include "graph.h"

static cudaGraph_t g_graph;
static cudaGraphExec_t g_exec;

void graph_begin(cudaStream_t s) { cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal); }
void graph_end(cudaStream_t s) {
  cudaStreamEndCapture(s, &g_graph);
  cudaGraphInstantiate(&g_exec, g_graph, 0);
}
void graph_launch(cudaStream_t s) { cudaGraphLaunch(g_exec, s); }
