// Capture begins and ends in graph.cu; the work between runs while capturing.
#include <cstdio>

#include "graph.h"

__global__ void add_one(float *x, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] += 1.0f;
}

int g_tokens = 0;

void decode(cudaStream_t s, float *x, int n) {
  graph_begin(s);
  add_one<<<(n + 255) / 256, 256, 0, s>>>(x, n);
  ++g_tokens;  // WARN[trace-host-mutation]: global 'g_tokens' is incremented during the capture on 'graph_begin'
  cudaStreamSynchronize(s);  // ERROR[trace-host-read]: 'cudaStreamSynchronize' waits for the device during the capture on 'graph_begin'
  graph_end(s);
  cudaStreamSynchronize(s);
  std::printf("captured\n");
  for (int i = 0; i < 4; ++i) graph_launch(s);
}
