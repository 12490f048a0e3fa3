#include "graph/fused.h"

#include <cmath>
#include <cstring>

#include "kernels/kernels.h"

// GCC 12 at -O2 vectorizes only trivially safe loops; these are, and say so.
#define TL_SIMD _Pragma("omp simd")

namespace tl::detail {
namespace {

constexpr std::int64_t kBlock = 256;

inline void apply(op_kind op, float* __restrict d, const float* __restrict a, const float* __restrict b,
                  std::int64_t n) {
  switch (op) {
    case op_kind::add:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = a[i] + b[i];
      break;
    case op_kind::sub:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = a[i] - b[i];
      break;
    case op_kind::mul:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = a[i] * b[i];
      break;
    case op_kind::div:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = a[i] / b[i];
      break;
    case op_kind::pow:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = std::pow(a[i], b[i]);
      break;
    case op_kind::maximum:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = a[i] > b[i] || a[i] != a[i] ? a[i] : b[i];
      break;
    case op_kind::minimum:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = a[i] < b[i] || a[i] != a[i] ? a[i] : b[i];
      break;
    case op_kind::relu_grad:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = b[i] > 0.f ? a[i] : 0.f;
      break;
    case op_kind::neg:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = -a[i];
      break;
#define TL_UNARY_FLOAT_OP(name, value, gradient)   \
  case op_kind::name:                              \
    TL_SIMD for (std::int64_t i = 0; i < n; ++i) { \
      float x = a[i];                              \
      d[i] = value;                                \
    }                                              \
    break;
#include "graph/unary_ops.def"
    case op_kind::relu:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = a[i] < 0.f ? 0.f : a[i];
      break;  // keeps NaN
    case op_kind::abs:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = std::fabs(a[i]);
      break;
    case op_kind::square:
      TL_SIMD for (std::int64_t i = 0; i < n; ++i) d[i] = a[i] * a[i];
      break;
    default:
      break;
  }
}

void k_fused(const node& nd, const buffer* in, const buffer& out) {
  const auto& prog = *nd.attrs.program;
  std::int64_t n = out.size;
  std::int64_t blocks = (n + kBlock - 1) / kBlock;
  float* z = out.as<float>();
  // Registers live on each thread's stack; scalar operands are broadcast into theirs once.
  auto run_blocks = [&](std::int64_t first, std::int64_t last) {
    alignas(64) float regs[fused_program::kMaxRegs][kBlock];
    for (int j = 0; j < prog.num_inputs; ++j)
      if (in[j].size == 1 && n != 1)
        for (std::int64_t i = 0; i < kBlock; ++i) regs[j][i] = in[j].as<float>()[0];
    // Operands are read in place: inputs straight from their buffers, temporaries from registers.
    const float* operand[fused_program::kMaxRegs];
    for (int r = prog.num_inputs; r < prog.num_regs; ++r) operand[r] = regs[r];
    for (std::int64_t blk = first; blk < last; ++blk) {
      std::int64_t start = blk * kBlock;
      std::int64_t len = std::min(kBlock, n - start);
      for (int j = 0; j < prog.num_inputs; ++j)
        operand[j] = (in[j].size == 1 && n != 1) ? regs[j] : in[j].as<float>() + start;
      for (const auto& ins : prog.code) {
        // The result register is written by the last instruction only: it goes straight to the output.
        float* dst = ins.dst == prog.num_regs - 1 ? z + start : regs[ins.dst];
        apply(ins.op, dst, operand[ins.a], ins.b >= 0 ? operand[ins.b] : operand[ins.a], len);
      }
    }
  };
  parallel_range(n >= kParallelThreshold, blocks, run_blocks);
}

}  // namespace

kernel_fn fused_kernel() { return k_fused; }

}  // namespace tl::detail
