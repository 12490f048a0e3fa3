// Declarations of the parts of PyTorch's C++ API (ATen, c10, torch) that the pytorch-cuda-graph
// pack's cases use: at::cuda::CUDAGraph and a minimal at::Tensor. Names and signatures follow
// ATen/cuda/CUDAGraph.h and c10/cuda/CUDAGraphsC10Utils.h; bodies are left out.
#pragma once
#include <cstdint>
#include <vector>

namespace c10 {
enum class ScalarType : int8_t { Float = 6, Long = 4 };
namespace cuda {
enum class CaptureStatus : int { None = 0, Active = 1, Invalidated = 2 };
CaptureStatus currentStreamCaptureStatusMayInitCtx();
void device_synchronize();
}  // namespace cuda
}  // namespace c10

namespace at {
class Tensor {
 public:
  Tensor() = default;
  Tensor(const Tensor &) = default;
  Tensor &operator=(const Tensor &) = default;
  template <class T>
  T item() const;
  Tensor cpu() const;
  bool is_nonzero() const;
  Tensor nonzero() const;
  Tensor masked_select(const Tensor &mask) const;
  Tensor unique_consecutive() const;
  bool equal(const Tensor &other) const;
  Tensor &copy_(const Tensor &src, bool non_blocking = false) const;
  Tensor &fill_(double value) const;
  Tensor mul(double scale) const;
  Tensor mul(const Tensor &other) const;
  Tensor add(const Tensor &other) const;
  Tensor matmul(const Tensor &other) const;
  Tensor relu() const;
  Tensor sum() const;
  std::vector<int64_t> sizes() const;
};
Tensor operator+(const Tensor &a, const Tensor &b);
Tensor nonzero(const Tensor &self);
Tensor masked_select(const Tensor &self, const Tensor &mask);
Tensor operator*(const Tensor &a, double b);

namespace cuda {
using c10::cuda::CaptureStatus;
inline CaptureStatus currentStreamCaptureStatus() { return c10::cuda::currentStreamCaptureStatusMayInitCtx(); }

struct MempoolId_t {
  uint64_t first = 0, second = 0;
};
MempoolId_t graph_pool_handle();

struct CUDAGraph {
  CUDAGraph();
  ~CUDAGraph();
  void capture_begin(MempoolId_t pool = {});
  void capture_end();
  void instantiate();
  void replay();
  void reset();
  MempoolId_t pool();
};
}  // namespace cuda
}  // namespace at

namespace torch {
using at::Tensor;
Tensor zeros(std::vector<int64_t> sizes);
Tensor ones(std::vector<int64_t> sizes);
Tensor randn(std::vector<int64_t> sizes);
namespace cuda {
void synchronize(int64_t device_index = -1);
}  // namespace cuda
}  // namespace torch
