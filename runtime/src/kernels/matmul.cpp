// Batched matmul. float32 above kBlasMinFlops goes to OpenBLAS (its OpenMP build, sharing our
// thread pool); below that, and for integers, a plain loop wins because BLAS's call overhead
// dominates tiny products.
#include <cblas.h>

#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/kernels.h"

namespace tl::detail {
namespace {

constexpr std::int64_t kBlasMinFlops = 16 * 16 * 16;

template <class T>
void small_gemm(const T* a, const T* b, T* c, std::int64_t m, std::int64_t n, std::int64_t k, bool ta, bool tb) {
  for (std::int64_t i = 0; i < m * n; ++i) c[i] = T(0);
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t p = 0; p < k; ++p) {
      T av = ta ? a[p * m + i] : a[i * k + p];
      if (av == T(0)) continue;
      T* crow = c + i * n;
      if (!tb) {
        const T* brow = b + p * n;
        for (std::int64_t j = 0; j < n; ++j) crow[j] += av * brow[j];
      } else {
        for (std::int64_t j = 0; j < n; ++j) crow[j] += av * b[j * k + p];
      }
    }
  }
}

void k_matmul(const node& nd, const buffer* in, const buffer& out) {
  const auto& sa = *in[0].shape;
  const auto& sb = *in[1].shape;
  const auto& so = *out.shape;
  bool ta = nd.attrs.transpose_a, tb = nd.attrs.transpose_b;
  auto ra = sa.size(), rb = sb.size(), ro = so.size();
  std::int64_t m = so[ro - 2], n = so[ro - 1];
  std::int64_t k = ta ? sa[ra - 2] : sa[ra - 1];
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
      if constexpr (std::is_same_v<T, float>) {
        if (m * n * k >= kBlasMinFlops) {
          cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                      static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), 1.f, pa,
                      static_cast<int>(ta ? m : k), pb, static_cast<int>(tb ? k : n), 0.f, pc,
                      static_cast<int>(n));
          continue;
        }
      }
      small_gemm<T>(pa, pb, pc, m, n, k, ta, tb);
    }
  });
}

}  // namespace

kernel_fn matmul_kernel() { return k_matmul; }

}  // namespace tl::detail
