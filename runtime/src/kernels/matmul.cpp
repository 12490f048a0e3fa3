// Batched matmul. float32 above kBlasMinFlops goes to OpenBLAS (its OpenMP build, sharing our
// thread pool); below that, and for integers, a plain loop wins because BLAS's call overhead
// dominates tiny products.
#include <cblas.h>

#include <cstring>
#include <mutex>
#include <vector>

#include "core/dispatch.h"
#include "core/tensor_impl.h"
#include "kernels/arith.h"
#include "kernels/kernels.h"

namespace tl::detail {
namespace {

constexpr std::int64_t kBlasMinFlops = 16 * 16 * 16;

// Row-major C = op(A) op(B) for products too small for BLAS. Operands are addressed through strides
// (a transposed operand is not copied), and the loop order follows the shape: the tiny models'
// backward passes are full of matrix-vector products (n = 1) and outer products (k = 1), where a
// fixed i-p-j order would run an inner loop of length 1. No zero skipping: 0 * NaN must stay NaN.
template <class T>
void small_gemm(const T* __restrict a, const T* __restrict b, T* __restrict c, std::int64_t m, std::int64_t n,
                std::int64_t k, bool ta, bool tb) {
  const std::int64_t a_row = ta ? 1 : k, a_col = ta ? m : 1;  // A(i, p) = a[i * a_row + p * a_col]
  const std::int64_t b_row = tb ? 1 : n, b_col = tb ? k : 1;  // B(p, j) = b[p * b_row + j * b_col]
  if (n == 1) {                                               // matrix-vector: B(p, 0) = b[p] either way
    if (ta) {
      for (std::int64_t i = 0; i < m; ++i) c[i] = T(0);
      for (std::int64_t p = 0; p < k; ++p) {
        T bv = b[p];
        const T* acol = a + p * m;
#pragma omp simd
        for (std::int64_t i = 0; i < m; ++i) c[i] = wrapping_add(c[i], wrapping_mul(acol[i], bv));
      }
    } else {
      for (std::int64_t i = 0; i < m; ++i) {
        const T* arow = a + i * k;
        T s = T(0);
#pragma omp simd reduction(+ : s)
        for (std::int64_t p = 0; p < k; ++p) s = wrapping_add(s, wrapping_mul(arow[p], b[p]));
        c[i] = s;
      }
    }
    return;
  }
  if (b_col == 1 || k < 4) {
    // C's row i accumulates A(i, p) times B's row p (contiguous, or strided by k when B is transposed).
    for (std::int64_t i = 0; i < m; ++i) {
      T* crow = c + i * n;
      for (std::int64_t j = 0; j < n; ++j) crow[j] = T(0);
      for (std::int64_t p = 0; p < k; ++p) {
        T av = a[i * a_row + p * a_col];
        const T* brow = b + p * b_row;
#pragma omp simd
        for (std::int64_t j = 0; j < n; ++j) crow[j] = wrapping_add(crow[j], wrapping_mul(av, brow[j * b_col]));
      }
    }
    return;
  }
  // B transposed with a real inner dimension: C(i, j) is the dot product of A's row i and b's row j.
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      const T* brow = b + j * k;
      T s = T(0);
#pragma omp simd reduction(+ : s)
      for (std::int64_t p = 0; p < k; ++p) s = wrapping_add(s, wrapping_mul(a[i * a_row + p * a_col], brow[p]));
      c[i * n + j] = s;
    }
  }
}

template <class T>
void gemm(const T* a, const T* b, T* c, std::int64_t m, std::int64_t n, std::int64_t k, bool ta, bool tb) {
  if constexpr (std::is_same_v<T, float>) {
    if (m * n * k >= kBlasMinFlops) {
      cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(m),
                  static_cast<int>(n), static_cast<int>(k), 1.f, a, static_cast<int>(ta ? m : k), b,
                  static_cast<int>(tb ? k : n), 0.f, c, static_cast<int>(n));
      return;
    }
  }
  small_gemm<T>(a, b, c, m, n, k, ta, tb);
}

void k_matmul(const node& nd, const buffer* in, const buffer& out) {
  const auto& sa = *in[0].shape;
  const auto& sb = *in[1].shape;
  const auto& so = *out.shape;
  bool ta = nd.attrs.transpose_a, tb = nd.attrs.transpose_b;
  auto ra = sa.size(), rb = sb.size(), ro = so.size();
  std::int64_t m = so[ro - 2], n = so[ro - 1];
  std::int64_t k = ta ? sa[ra - 2] : sa[ra - 1];
  if (ra == 2 && rb == 2) {  // the common case, without the batch bookkeeping's allocations
    dispatch_numeric(out.type, [&]<class T>() { gemm<T>(in[0].as<T>(), in[1].as<T>(), out.as<T>(), m, n, k, ta, tb); });
    return;
  }
  shape_t batch(so.begin(), so.end() - 2);
  shape_t ba(sa.begin(), sa.end() - 2), bb(sb.begin(), sb.end() - 2);
  std::int64_t batches = num_elements(batch);
  std::vector<std::int64_t> stra(batch.size() + 1), strb(batch.size() + 1);
  if (!batch.empty()) {
    broadcast_strides(ba, batch, stra.data());
    broadcast_strides(bb, batch, strb.data());
  }
  std::int64_t mat_a = sa[ra - 2] * sa[ra - 1], mat_b = sb[rb - 2] * sb[rb - 1];
  dispatch_numeric(out.type, [&]<class T>() {
    const T* a = in[0].as<T>();
    const T* b = in[1].as<T>();
    T* c = out.as<T>();
    for (std::int64_t bi = 0; bi < batches; ++bi) {
      std::int64_t oa = 0, ob = 0, rem = bi;
      for (std::size_t d = batch.size(); d-- > 0;) {
        auto coord = rem % batch[d];
        rem /= batch[d];
        oa += coord * stra[d];
        ob += coord * strb[d];
      }
      const T* pa = a + oa * mat_a;
      const T* pb = b + ob * mat_b;
      T* pc = c + bi * m * n;
      gemm<T>(pa, pb, pc, m, n, k, ta, tb);
    }
  });
}

// fused_matmul: C = op(A) op(B) (+ bias) (then relu), rank 2, float32. The epilogue is one pass over C
// right after the GEMM wrote it (64x256 floats in the MLP: still in L2), in place of an add node and
// a relu node, each a full pass with its own output. Same arithmetic as the unfused ops, in the same
// order: the results are bitwise those of matmul, add, relu.
void k_fused_matmul(const node& nd, const buffer* in, const buffer& out) {
  const auto& sa = *in[0].shape;
  const auto& so = *out.shape;
  bool ta = nd.attrs.transpose_a, tb = nd.attrs.transpose_b;
  std::int64_t m = so[0], n = so[1], k = ta ? sa[0] : sa[1];
  float* c = out.as<float>();
  gemm<float>(in[0].as<float>(), in[1].as<float>(), c, m, n, k, ta, tb);
  const float* bias = nd.inputs.size() > 2 ? in[2].as<float>() : nullptr;
  bool relu = nd.attrs.relu_epilogue;
  parallel_range(m * n >= kParallelThreshold, m, [&](std::int64_t lo, std::int64_t hi) {
    for (std::int64_t i = lo; i < hi; ++i) {
      float* row = c + i * n;
      if (bias && relu) {
#pragma omp simd
        for (std::int64_t j = 0; j < n; ++j) {
          float v = row[j] + bias[j];
          row[j] = v < 0.f ? 0.f : v;  // keeps NaN, as the relu kernel does
        }
      } else if (bias) {
#pragma omp simd
        for (std::int64_t j = 0; j < n; ++j) row[j] += bias[j];
      } else if (relu) {
#pragma omp simd
        for (std::int64_t j = 0; j < n; ++j) row[j] = row[j] < 0.f ? 0.f : row[j];
      }
    }
  });
}

// matmul_update: var = beta * var + alpha * op(A) op(B), in the variable's storage: the optimizer's
// update folded into the weight-gradient GEMM (one sgemm with beta = 1 for SGD, no temporary). The
// variable is handled as assign_variable handles it: copy on write when an eager read holds its
// storage, the storage swap under its mutex, the arithmetic outside it.
void k_matmul_update(const node& nd, const buffer* in, const buffer&) {
  auto& var = *nd.attrs.var;
  const auto& sa = *in[0].shape;
  const auto& sb = *in[1].shape;
  bool ta = nd.attrs.transpose_a, tb = nd.attrs.transpose_b;
  std::int64_t m = ta ? sa[1] : sa[0], n = tb ? sb[0] : sb[1], k = ta ? sa[0] : sa[1];
  auto bytes = static_cast<std::size_t>(m * n) * sizeof(float);
  std::shared_ptr<storage> target;
  {
    std::lock_guard<std::mutex> lock(var.mu);
    if (var.data.use_count() > 1) {
      auto fresh = allocate_storage(bytes);
      std::memcpy(fresh->data, var.data->data, bytes);
      var.data = std::move(fresh);
    }
    target = var.data;
  }
  auto alpha = static_cast<float>(nd.attrs.scalar), beta = static_cast<float>(nd.attrs.scalar2);
  float* z = static_cast<float*>(target->data);
  const float* a = in[0].as<float>();
  const float* b = in[1].as<float>();
  if (m * n * k >= kBlasMinFlops) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(m),
                static_cast<int>(n), static_cast<int>(k), alpha, a, static_cast<int>(ta ? m : k), b,
                static_cast<int>(tb ? k : n), beta, z, static_cast<int>(n));
    return;
  }
  thread_local std::vector<float> product;
  product.resize(static_cast<std::size_t>(m * n));
  small_gemm<float>(a, b, product.data(), m, n, k, ta, tb);
  const float* p = product.data();
#pragma omp simd
  for (std::int64_t i = 0; i < m * n; ++i) z[i] = beta * z[i] + alpha * p[i];
}

}  // namespace

kernel_fn matmul_kernel() { return k_matmul; }
kernel_fn fused_matmul_kernel() { return k_fused_matmul; }
kernel_fn matmul_update_kernel() { return k_matmul_update; }

}  // namespace tl::detail
