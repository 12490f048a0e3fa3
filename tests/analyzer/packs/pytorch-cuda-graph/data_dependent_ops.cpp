// ATen operations whose output size depends on the data synchronize to read that size on the host:
// not permitted between capture_begin() and capture_end() (issue 29.3), each reported with why.
#include <torch_cuda_graph_decls.h>

void data_dependent(at::cuda::CUDAGraph &graph, at::Tensor x, at::Tensor mask, at::Tensor &out) {
  graph.capture_begin();
  at::Tensor idx = x.nonzero();  // ERROR[trace-host-read]: 'nonzero' copies a tensor's value to the host between capture_begin() and capture_end() of 'graph' (the output's size depends on the data
  at::Tensor picked = x.masked_select(mask);  // ERROR[trace-host-read]: 'masked_select' copies a tensor's value to the host
  at::Tensor runs = x.unique_consecutive();  // ERROR[trace-host-read]: 'unique_consecutive' copies a tensor's value to the host
  at::Tensor where = at::nonzero(mask);  // ERROR[trace-host-read]: 'at::nonzero' synchronizes with the GPU between capture_begin() and capture_end() of 'graph' (the output's size depends on the data
  at::Tensor sel = at::masked_select(x, mask);  // ERROR[trace-host-read]: 'at::masked_select' synchronizes with the GPU
  out = x.relu();
  graph.capture_end();
}

// Fixed-size forms stay on the device: a mask multiplied in, not selected.
void fixed_size(at::cuda::CUDAGraph &graph, at::Tensor x, at::Tensor mask, at::Tensor &out) {
  graph.capture_begin();
  out = x.mul(mask);
  graph.capture_end();
  at::Tensor idx = out.nonzero();  // after the capture: an ordinary eager call
}
