#include "core/storage.h"

#include <cstdlib>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>

#include "core/sanitizers.h"
#include "tl/error.h"

namespace tl::detail {

namespace {
// Far beyond any machine this runs on; a request above it is a bug (a negative size cast to
// size_t, an unknown dimension taken literally), not a real allocation.
constexpr std::size_t kMaxAllocation = std::size_t{1} << 44;
std::size_t rounded_size(std::size_t bytes) { return bytes == 0 ? 64 : (bytes + 63) / 64 * 64; }
}  // namespace

void* aligned_alloc_or_throw(std::size_t bytes) {
  if (bytes > kMaxAllocation) {
    throw tl::error("tl: refusing to allocate " + std::to_string(bytes) + " bytes (more than 16 TiB)");
  }
  void* p = std::aligned_alloc(64, rounded_size(bytes));
  if (!p) throw tl::error("tl: out of memory allocating " + std::to_string(bytes) + " bytes");
  return p;
}

namespace {

// Large tensor blocks are kept for reuse, as TF's CPU allocator (BFC) does, instead of going back to
// malloc: glibc serves blocks above its mmap threshold with fresh pages, so an eager op producing a
// 256 KiB result page-faulted its whole output on every call (matmul n=256 ran at 0.87x of BLAS
// writing into a reused buffer). Blocks are reused by exact rounded size; the cache holds at most
// kMaxCachedBytes. AddressSanitizer builds bypass it, so use-after-free stays detectable.
class block_cache {
 public:
  static constexpr std::size_t kMinBlock = std::size_t{64} << 10;
  static constexpr std::size_t kMaxCachedBytes = std::size_t{256} << 20;

  void* take(std::size_t rounded) {
    if (rounded < kMinBlock) return nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = free_.find(rounded);
    if (it == free_.end()) return nullptr;
    void* p = it->second;
    free_.erase(it);
    cached_ -= rounded;
    return p;
  }
  bool give(void* p, std::size_t rounded) {
    if (rounded < kMinBlock) return false;
    std::lock_guard<std::mutex> lock(mu_);
    if (cached_ + rounded > kMaxCachedBytes) return false;
    free_.emplace(rounded, p);
    cached_ += rounded;
    return true;
  }

 private:
  std::mutex mu_;
  std::unordered_multimap<std::size_t, void*> free_;
  std::size_t cached_ = 0;
};

constexpr bool kCacheBlocks = !kAddressSanitizer;

// Never destroyed: storage owned by static objects is released after every other static is gone.
block_cache& blocks() {
  static auto* cache = new block_cache;
  return *cache;
}

}  // namespace

storage::storage(std::size_t n) : bytes(n) {
  if (kCacheBlocks && n <= kMaxAllocation) data = blocks().take(rounded_size(n));
  if (!data) data = aligned_alloc_or_throw(n);
}
storage::~storage() {
  if (!kCacheBlocks || !blocks().give(data, rounded_size(bytes))) std::free(data);
}

std::shared_ptr<storage> allocate_storage(std::size_t bytes) { return std::make_shared<storage>(bytes); }

std::size_t byte_size(const value_type& t) {
  auto n = num_elements(t.shape);
  if (n < 0) throw tl::error("tl: internal: byte size of a shape with unknown dimensions " + shape_string(t.shape));
  std::size_t bytes = 0;
  if (__builtin_mul_overflow(static_cast<std::size_t>(n), dtype_size(t.type), &bytes)) {
    throw tl::error("tl: a " + std::string(dtype_name(t.type)) + shape_string(t.shape) +
                    " tensor needs more bytes than the address space holds");
  }
  return bytes;
}

}  // namespace tl::detail
