#include "graph/fused.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "kernels/kernels.h"
#include "tl/error.h"

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

// ---- Chains: the accumulator in registers --------------------------------------------------------
// A chunk is kVecs vectors; the accumulator of a chunk stays in registers through every step of the
// program, and each input is loaded once per step that names it (from memory the first time, from L1
// after). Per chunk the program's steps are dispatched once, so the dispatch costs a fraction of a
// cycle per element; the loop streams through memory once, as a hand-written loop of the same
// arithmetic does. The widest vectors the CPU has make the chunk longer and so the dispatch rarer:
// 16 floats (one AVX-512 register) where the CPU has AVX-512, 8 (one AVX2 register, or two SSE ones in
// the build's baseline) elsewhere.
typedef float vec8 __attribute__((vector_size(32)));
typedef std::int32_t vec8i __attribute__((vector_size(32)));
typedef float vec16 __attribute__((vector_size(64)));
typedef std::int32_t vec16i __attribute__((vector_size(64)));
constexpr int kVecs = 4;
constexpr std::int64_t kMaxChunk = 16 * kVecs;

// Every function taking or returning these vectors is inlined into the run_chain_range_* versions: no ABI
// is involved.
#pragma GCC diagnostic ignored "-Wpsabi"
template <typename V>
[[gnu::always_inline]] inline V load_vec(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename V>
[[gnu::always_inline]] inline void store_vec(float* p, V v) {
  std::memcpy(p, &v, sizeof v);
}

bool chain_op_supported(op_kind op) {
  switch (op) {
    case op_kind::add:
    case op_kind::sub:
    case op_kind::mul:
    case op_kind::div:
    case op_kind::maximum:
    case op_kind::minimum:
    case op_kind::relu_grad:
    case op_kind::neg:
    case op_kind::relu:
    case op_kind::abs:
    case op_kind::square:
      return true;
    default:
      return false;
  }
}

#define TL_VEC_STEP(expr)                                   \
  _Pragma("GCC unroll 8") for (int v = 0; v < kVecs; ++v) { \
    V x = load_vec<V>(src + kLanes * v);                    \
    (void)x;                                                \
    acc[v] = (expr);                                        \
  }                                                         \
  break;

// One chunk of kVecs vectors V: dst[0, chunk) = program(inputs at offset `start`). `ptr[j]` is input j's
// data, `stride[j]` 1 for a stream and 0 for a broadcast scalar (then ptr[j] is kMaxChunk copies of the
// value).
template <typename V, typename VI>
[[gnu::always_inline]] inline void run_chain_chunk(const fused_program& prog, const float* const* ptr,
                                                   const std::int64_t* stride, std::int64_t start, float* dst) {
  constexpr int kLanes = sizeof(V) / sizeof(float);
  V acc[kVecs];
  const float* first = ptr[prog.chain_start] + start * stride[prog.chain_start];
#pragma GCC unroll 8
  for (int v = 0; v < kVecs; ++v) acc[v] = load_vec<V>(first + kLanes * v);
  const V zero = {};
  for (const auto& s : prog.chain) {
    const float* src = s.operand >= 0 ? ptr[s.operand] + start * stride[s.operand] : first;
    if (s.operand == fused_program::kSelf) {
      switch (s.op) {  // op(acc, acc)
        case op_kind::add:
          TL_VEC_STEP(acc[v] + acc[v])
        case op_kind::sub:
          TL_VEC_STEP(acc[v] - acc[v])
        case op_kind::mul:
          TL_VEC_STEP(acc[v] * acc[v])
        case op_kind::div:
          TL_VEC_STEP(acc[v] / acc[v])
        case op_kind::relu_grad:
          TL_VEC_STEP(acc[v] > zero ? acc[v] : zero)
        default:  // maximum / minimum of a value with itself
          break;
      }
      continue;
    }
    if (!s.acc_second) {
      switch (s.op) {  // op(acc, x)
        case op_kind::add:
          TL_VEC_STEP(acc[v] + x)
        case op_kind::sub:
          TL_VEC_STEP(acc[v] - x)
        case op_kind::mul:
          TL_VEC_STEP(acc[v] * x)
        case op_kind::div:
          TL_VEC_STEP(acc[v] / x)
        case op_kind::maximum:
          TL_VEC_STEP((acc[v] > x) | (acc[v] != acc[v]) ? acc[v] : x)
        case op_kind::minimum:
          TL_VEC_STEP((acc[v] < x) | (acc[v] != acc[v]) ? acc[v] : x)
        case op_kind::relu_grad:
          TL_VEC_STEP(x > zero ? acc[v] : zero)
        case op_kind::neg:
          TL_VEC_STEP(-acc[v])
        case op_kind::relu:
          TL_VEC_STEP(acc[v] < zero ? zero : acc[v])
        case op_kind::abs:
          TL_VEC_STEP((V)((VI)acc[v] & 0x7fffffff))
        case op_kind::square:
          TL_VEC_STEP(acc[v] * acc[v])
        default:
          break;
      }
    } else {
      switch (s.op) {  // op(x, acc)
        case op_kind::add:
          TL_VEC_STEP(x + acc[v])
        case op_kind::sub:
          TL_VEC_STEP(x - acc[v])
        case op_kind::mul:
          TL_VEC_STEP(x * acc[v])
        case op_kind::div:
          TL_VEC_STEP(x / acc[v])
        case op_kind::maximum:
          TL_VEC_STEP((x > acc[v]) | (x != x) ? x : acc[v])
        case op_kind::minimum:
          TL_VEC_STEP((x < acc[v]) | (x != x) ? x : acc[v])
        case op_kind::relu_grad:
          TL_VEC_STEP(acc[v] > zero ? x : zero)
        default:
          break;
      }
    }
  }
#pragma GCC unroll 8
  for (int v = 0; v < kVecs; ++v) store_vec<V>(dst + kLanes * v, acc[v]);
}
#undef TL_VEC_STEP

// Chunks [first, last), compiled once per vector width and instruction set. The choice is made once per
// process by a plain CPU test, not by GCC's target_clones: its ifunc resolver runs while the dynamic
// loader relocates libtl, before a sanitizer's runtime is up, and crashed the ThreadSanitizer build
// there.
template <typename V, typename VI>
[[gnu::always_inline]] inline void run_chunks(const fused_program& prog, const float* const* ptr,
                                              const std::int64_t* stride, std::int64_t first, std::int64_t last,
                                              float* z) {
  constexpr std::int64_t kChunk = sizeof(V) / sizeof(float) * kVecs;
  // Each input stream is prefetched 8 KiB ahead: with the hardware prefetchers alone the chain ran
  // 5-15% behind a plain loop over the same buffers, with them it runs level or ahead
  // (docs/performance.md). Only inside [first, last), so that no address leaves its buffer.
  constexpr std::int64_t kAheadChunks = 2048 / kChunk;
  constexpr std::int64_t kFloatsPerLine = 16;
  const float* streams[fused_program::kMaxRegs];
  int num_streams = 0;
  for (int j = 0; j < prog.num_inputs; ++j)
    if (stride[j] != 0) streams[num_streams++] = ptr[j];
  for (std::int64_t c = first; c < last; ++c) {
    if (c + kAheadChunks < last) {
      for (int s = 0; s < num_streams; ++s)
        for (std::int64_t l = 0; l < kChunk; l += kFloatsPerLine)
          __builtin_prefetch(streams[s] + (c + kAheadChunks) * kChunk + l);
    }
    run_chain_chunk<V, VI>(prog, ptr, stride, c * kChunk, z + c * kChunk);
  }
}
using chain_range_fn = void (*)(const fused_program&, const float* const*, const std::int64_t*, std::int64_t,
                                std::int64_t, float*);
__attribute__((target("avx512f"))) void run_chain_range_avx512(const fused_program& prog, const float* const* ptr,
                                                               const std::int64_t* stride, std::int64_t first,
                                                               std::int64_t last, float* z) {
  run_chunks<vec16, vec16i>(prog, ptr, stride, first, last, z);
}
__attribute__((target("avx2"))) void run_chain_range_avx2(const fused_program& prog, const float* const* ptr,
                                                          const std::int64_t* stride, std::int64_t first,
                                                          std::int64_t last, float* z) {
  run_chunks<vec8, vec8i>(prog, ptr, stride, first, last, z);
}
void run_chain_range_baseline(const fused_program& prog, const float* const* ptr, const std::int64_t* stride,
                              std::int64_t first, std::int64_t last, float* z) {
  run_chunks<vec8, vec8i>(prog, ptr, stride, first, last, z);
}

struct chain_version {
  chain_range_fn run;
  std::int64_t chunk;  // floats per chunk
};
// TL_CHAIN_ISA=avx2 or baseline caps the instruction set (to compare the versions, and to test the
// narrower ones on a machine that has the wider).
const chain_version& chain_for_this_cpu() {
  static const chain_version chosen = [] {
    const char* cap = std::getenv("TL_CHAIN_ISA");
    std::string_view limit = cap ? cap : "";
    if (!limit.empty() && limit != "avx512" && limit != "avx2" && limit != "baseline") {
      throw tl::error("tl: TL_CHAIN_ISA=" + std::string(limit) + " is not one of avx512, avx2, baseline");
    }
    bool allow512 = limit.empty() || limit == "avx512";
    bool allow256 = allow512 || limit == "avx2";
    if (allow512 && __builtin_cpu_supports("avx512f")) return chain_version{run_chain_range_avx512, 16 * kVecs};
    if (allow256 && __builtin_cpu_supports("avx2")) return chain_version{run_chain_range_avx2, 8 * kVecs};
    return chain_version{run_chain_range_baseline, 8 * kVecs};
  }();
  return chosen;
}

void k_chain(const node& nd, const buffer* in, const buffer& out) {
  const auto& prog = *nd.attrs.program;
  const auto& version = chain_for_this_cpu();
  std::int64_t n = out.size;
  std::int64_t chunks = n / version.chunk;
  float* z = out.as<float>();
  alignas(64) float scalars[fused_program::kMaxRegs][kMaxChunk];
  const float* ptr[fused_program::kMaxRegs];
  std::int64_t stride[fused_program::kMaxRegs];
  for (int j = 0; j < prog.num_inputs; ++j) {
    if (in[j].size == 1 && n != 1) {
      std::fill_n(scalars[j], kMaxChunk, in[j].as<float>()[0]);
      ptr[j] = scalars[j];
      stride[j] = 0;
    } else {
      ptr[j] = in[j].as<float>();
      stride[j] = 1;
    }
  }
  parallel_range(n >= kParallelThreshold, chunks,
                 [&](std::int64_t first, std::int64_t last) { version.run(prog, ptr, stride, first, last, z); });
  std::int64_t done = chunks * version.chunk;
  if (done == n) return;
  // The tail: the inputs' last elements copied into a padded chunk.
  alignas(64) float tail_in[fused_program::kMaxRegs][kMaxChunk] = {};
  alignas(64) float tail_out[kMaxChunk];
  const float* tptr[fused_program::kMaxRegs];
  std::int64_t tstride[fused_program::kMaxRegs];
  for (int j = 0; j < prog.num_inputs; ++j) {
    if (stride[j] == 0) {
      tptr[j] = ptr[j];
      tstride[j] = 0;
    } else {
      std::copy(ptr[j] + done, ptr[j] + n, tail_in[j]);
      tptr[j] = tail_in[j];
      tstride[j] = 1;
    }
  }
  version.run(prog, tptr, tstride, 0, 1, tail_out);
  std::copy(tail_out, tail_out + (n - done), z + done);
}

}  // namespace

bool linearize_program(fused_program& p) {
  p.chain.clear();
  p.chain_start = -1;
  if (p.code.empty()) return false;
  std::vector<fused_program::step> chain;
  int acc = -1;  // register the accumulator holds
  for (std::size_t i = 0; i < p.code.size(); ++i) {
    const auto& ins = p.code[i];
    if (!chain_op_supported(ins.op)) return false;
    bool unary = ins.b < 0;
    if (i == 0) {
      if (ins.a >= p.num_inputs || (!unary && ins.b >= p.num_inputs)) return false;
      p.chain_start = ins.a;
      if (unary) {
        chain.push_back({ins.op, fused_program::kNone, false});
      } else if (ins.b == ins.a) {
        chain.push_back({ins.op, fused_program::kSelf, false});
      } else {
        chain.push_back({ins.op, ins.b, false});
      }
    } else if (unary) {
      if (ins.a != acc) return false;
      chain.push_back({ins.op, fused_program::kNone, false});
    } else if (ins.a == acc && ins.b == acc) {
      chain.push_back({ins.op, fused_program::kSelf, false});
    } else if (ins.a == acc && ins.b < p.num_inputs) {
      chain.push_back({ins.op, ins.b, false});
    } else if (ins.b == acc && ins.a < p.num_inputs) {
      chain.push_back({ins.op, ins.a, true});  // x op acc (for maximum/minimum: x is kept when NaN)
    } else {
      return false;
    }
    // Self steps exist for the binary ops with an expression above; min/max of a value with itself is
    // the value.
    if (chain.back().operand == fused_program::kSelf && (ins.op == op_kind::maximum || ins.op == op_kind::minimum)) {
      chain.pop_back();
    }
    acc = ins.dst;
  }
  if (acc != p.num_regs - 1) return false;
  p.chain = std::move(chain);
  return true;
}

kernel_fn fused_kernel() {
  return [](const node& nd, const buffer* in, const buffer& out) {
    if (!nd.attrs.program->chain.empty()) return k_chain(nd, in, out);
    k_fused(nd, in, out);
  };
}

}  // namespace tl::detail
