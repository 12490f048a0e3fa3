// trace-capture-left-open with at::cuda::CUDAGraph: capture_begin() without capture_end() on some
// path leaves the current stream capturing.
#include <torch_cuda_graph_decls.h>

#include <stdexcept>

at::Tensor forward(const at::Tensor &x, const at::Tensor &w) { return x.matmul(w).relu(); }

void check_shape(const at::Tensor &x, long n) {
  if (x.sizes()[0] != n) throw std::runtime_error("bad batch");
}

void early_return(at::cuda::CUDAGraph &graph, at::Tensor x, at::Tensor w, at::Tensor &out, bool skip) {
  graph.capture_begin();  // WARN[trace-capture-left-open]: the capture on 'graph' begun here is left open by the return
  if (skip) return;  // NOTE: leaves the capture open
  out = forward(x, w);
  graph.capture_end();
}

void callee_throws(at::cuda::CUDAGraph &graph, at::Tensor x, at::Tensor w, at::Tensor &out, long n) {
  graph.capture_begin();  // WARN[trace-capture-left-open]: left open by an exception from 'check_shape'
  check_shape(x, n);  // NOTE: leaves the capture open
  out = forward(x, w);
  graph.capture_end();
}

// The guard form: capture_end() runs on every way out of the scope.
struct GraphCapture {
  at::cuda::CUDAGraph &graph;
  explicit GraphCapture(at::cuda::CUDAGraph &g) : graph(g) { graph.capture_begin(); }
  ~GraphCapture() { graph.capture_end(); }
};

void guarded(at::cuda::CUDAGraph &graph, at::Tensor x, at::Tensor w, at::Tensor &out, long n) {
  GraphCapture capture(graph);
  check_shape(x, n);
  out = forward(x, w);
}

// Shapes checked before the capture begins: nothing can leave it open.
void checked_first(at::cuda::CUDAGraph &graph, at::Tensor x, at::Tensor w, at::Tensor &out, long n) {
  check_shape(x, n);
  graph.capture_begin();
  out = forward(x, w);
  graph.capture_end();
}
