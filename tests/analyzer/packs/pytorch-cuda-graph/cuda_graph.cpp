// at::cuda::CUDAGraph: work launched between capture_begin() and capture_end() is recorded, and
// replay() runs it again on the same memory. Static input and output tensors are the interface:
// copy new data into the inputs, read the outputs after replay().
#include <torch_cuda_graph_decls.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

struct Model {
  at::Tensor w;
  int forwards = 0;
  at::Tensor forward(const at::Tensor &x) {
    ++forwards;  // WARN[trace-host-mutation]: member 'forwards' is incremented between capture_begin() and capture_end() of 'graph'
    return x.matmul(w).relu();
  }
};

void host_side_effects(Model &model, at::Tensor static_x) {
  at::cuda::CUDAGraph graph;
  graph.capture_begin();
  at::Tensor y = model.forward(static_x);
  std::cout << "captured forward\n";  // WARN[trace-host-io]: does host I/O between capture_begin() and capture_end() of 'graph'
  graph.capture_end();
  for (int i = 0; i < 10; ++i) graph.replay();
  (void)y;
}

void reads_values(at::Tensor static_x) {
  at::cuda::CUDAGraph graph;
  graph.capture_begin();
  at::Tensor loss = static_x.sum();
  float value = loss.item<float>();  // ERROR[trace-host-read]: 'item' copies a tensor's value to the host between capture_begin() and capture_end() of 'graph'
  if (loss.is_nonzero()) {  // ERROR[trace-host-read]: 'is_nonzero' copies a tensor's value to the host
    static_x.fill_(0.0);
  }
  at::Tensor on_host = loss.cpu();  // ERROR[trace-host-read]: 'cpu' copies a tensor's value to the host
  torch::cuda::synchronize();  // ERROR[trace-host-read]: 'torch::cuda::synchronize' synchronizes with the GPU
  graph.capture_end();
  (void)value;
  (void)on_host;
}

void random_in_capture(at::Tensor static_x) {
  at::cuda::CUDAGraph graph;
  graph.capture_begin();
  double noise = std::rand() / static_cast<double>(RAND_MAX);  // WARN[trace-host-random]: 'rand' draws a host random number or reads a clock between capture_begin() and capture_end() of 'graph'
  at::Tensor y = static_x.mul(noise);
  graph.capture_end();
  graph.replay();
  (void)y;
}

void stale_scale(at::Tensor static_x) {
  at::cuda::CUDAGraph graph;
  double scale = 0.5;
  graph.capture_begin();
  at::Tensor y = static_x.mul(scale);
  graph.capture_end();
  for (int step = 0; step < 100; ++step) {
    scale = 1.0 / (step + 1);  // WARN[trace-stale-capture]: 'scale' is changed here, but the capture on 'graph' baked its value
    graph.replay();
  }
  (void)y;
}

void rebinds_input(at::Tensor batch) {
  at::cuda::CUDAGraph graph;
  at::Tensor static_x = torch::zeros({8, 16});
  graph.capture_begin();
  at::Tensor y = static_x.relu();
  graph.capture_end();
  static_x = batch;  // WARN[trace-stale-capture]: tensor 'static_x' is rebound here after the capture on 'graph' recorded it
  graph.replay();
  (void)y;
}

// The documented idiom: warm up eagerly, capture once, copy new data into the static input,
// replay, read the static output.
void whole_network_capture(Model &model, const at::Tensor &data) {
  at::Tensor static_x = torch::zeros({8, 16});
  for (int i = 0; i < 3; ++i) model.forward(static_x);  // warm-up, eager
  at::cuda::CUDAGraph graph;
  graph.capture_begin();
  at::Tensor static_y = static_x.matmul(model.w).relu();
  graph.capture_end();
  for (int step = 0; step < 100; ++step) {
    static_x.copy_(data);
    graph.replay();
    float loss = static_y.sum().item<float>();  // after replay(): the value exists
    std::cout << loss << "\n";
  }
}

// Host work that checks the capture status is skipped while capturing.
void log_unless_capturing(const at::Tensor &x) {
  if (at::cuda::currentStreamCaptureStatus() == at::cuda::CaptureStatus::None) {
    std::cout << "value " << x.sum().item<float>() << "\n";
  }
}

int g_capture_steps = 0;
void count_when_capturing() {
  if (c10::cuda::currentStreamCaptureStatusMayInitCtx() == c10::cuda::CaptureStatus::Active) {
    g_capture_steps++;  // WARN[trace-host-mutation]: global 'g_capture_steps' is incremented between capture_begin() and capture_end() of 'the capture tested at line
  }
}

void guarded_logging(at::Tensor static_x) {
  at::cuda::CUDAGraph graph;
  graph.capture_begin();
  at::Tensor y = static_x.relu();
  log_unless_capturing(y);
  graph.capture_end();
  graph.replay();
}

// Two graphs: replaying one does not make values the other baked stale.
void two_graphs(at::Tensor a) {
  at::cuda::CUDAGraph first, second;
  double k = 2.0;
  first.capture_begin();
  at::Tensor y1 = a.mul(k);
  first.capture_end();
  second.capture_begin();
  at::Tensor y2 = a.relu();
  second.capture_end();
  k = 3.0;
  second.replay();
  (void)y1;
  (void)y2;
}
