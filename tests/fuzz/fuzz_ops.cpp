// The runtime's shape inference, broadcasting and op builders on arbitrary shapes, dtypes and
// attributes, eagerly and inside a trace (symbolic shapes, then replay). Every call must either
// succeed with a result of the shape the op promises or throw tl::error; anything else (a crash,
// a sanitizer report, another exception type, an abort) is a finding.
#include <tl/tl.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

namespace {

// Reads the fuzz input as a stream of small choices; past the end every choice is 0.
struct choices {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t next() { return n ? (--n, *p++) : 0; }
  std::int64_t small(int mod) { return next() % mod; }
  std::int64_t signed_small(int mod) { return static_cast<std::int64_t>(next() % mod) - mod / 2; }
  // A dimension, begin or size: mostly small, but the top byte values are the extremes whose sums
  // and products overflow 64 bits (slice bounds, concatenated dimensions, reshape counts).
  std::int64_t extreme_or(std::int64_t small_value, std::uint8_t byte) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    switch (byte) {
      case 255:
        return kMax;
      case 254:
        return kMax / 2 + 1;
      case 253:
        return std::int64_t{1} << 32;
      case 252:
        return std::numeric_limits<std::int64_t>::min();
      default:
        return small_value;
    }
  }
};

tl::dtype pick_dtype(choices& c) {
  switch (c.small(4)) {
    case 0:
      return tl::dtype::float32;
    case 1:
      return tl::dtype::int64;
    case 2:
      return tl::dtype::bool_;
    default:
      return tl::dtype::float32;
  }
}

tl::shape_t pick_shape(choices& c) {
  tl::shape_t s;
  auto rank = c.small(5);
  for (std::int64_t i = 0; i < rank; ++i) {
    auto byte = c.next();
    // dims 0..3 (empty tensors included), or a huge one: with a zero dimension beside it the
    // tensor is empty, so only the shape rules' arithmetic meets it.
    auto d = c.extreme_or(byte % 4, byte);
    s.push_back(d < 0 ? 0 : d);
  }
  return s;
}

tl::tensor make(choices& c) {
  auto s = pick_shape(c);
  auto t = pick_dtype(c);
  if (t == tl::dtype::bool_) return tl::cast(tl::fill(s, c.small(2), tl::dtype::int64), tl::dtype::bool_);
  return tl::fill(s, static_cast<double>(c.signed_small(16)) / 2, t);
}

std::vector<std::int64_t> pick_ints(choices& c, int max_len, int mod) {
  std::vector<std::int64_t> v;
  auto len = c.small(max_len + 1);
  for (std::int64_t i = 0; i < len; ++i) {
    auto byte = c.next();
    v.push_back(c.extreme_or(static_cast<std::int64_t>(byte % mod) - mod / 2, byte));
  }
  return v;
}

tl::tensor apply(choices& c, const tl::tensor& a, const tl::tensor& b) {
  switch (c.small(30)) {
    case 0:
      return a + b;
    case 1:
      return a - b;
    case 2:
      return a * b;
    case 3:
      return a / b;
    case 4:
      return tl::pow(a, b);
    case 5:
      return tl::maximum(a, b);
    case 6:
      return tl::less(a, b);
    case 7:
      return tl::where(tl::greater(a, b), a, b);
    case 8:
      return tl::exp(a);
    case 9:
      return tl::relu(a);
    case 10:
      return tl::sqrt(a);
    case 11:
      return tl::matmul(a, b, c.small(2), c.small(2));
    case 12:
      return tl::sum(a, pick_ints(c, 3, 8), c.small(2));
    case 13:
      return tl::mean(a, pick_ints(c, 3, 8), c.small(2));
    case 14:
      return tl::max(a, pick_ints(c, 3, 8), c.small(2));
    case 15:
      return tl::argmax(a, c.signed_small(8), c.small(2));
    case 16:
      return tl::reshape(a, pick_ints(c, 4, 10));
    case 17:
      return tl::transpose(a, pick_ints(c, 4, 8));
    case 18:
      return tl::slice(a, pick_ints(c, 4, 8), pick_ints(c, 4, 8));
    case 19:
      return tl::concat({a, b}, c.signed_small(8));
    case 20:
      return tl::gather(a, tl::cast(b, tl::dtype::int64), c.signed_small(8));
    case 21:
      return tl::one_hot(a, c.signed_small(8));
    case 22:
      return tl::cast(a, pick_dtype(c));
    case 23:
      return tl::broadcast_to(a, pick_shape(c));
    case 24:
      return tl::softmax(a, c.signed_small(8));
    case 25:
      return tl::log_softmax(a, c.signed_small(8));
    case 26:
      return tl::sparse_softmax_cross_entropy(a, b);
    case 27:
      return tl::softmax_cross_entropy(a, b);
    case 28:
      return tl::equal(a, b);
    default:
      return tl::square(a) - tl::abs(b);
  }
}

tl::tensor program(const std::uint8_t* data, std::size_t size, tl::tensor a, tl::tensor b) {
  choices c{data, size};
  for (int step = 0; step < 4 && c.n; ++step) {
    auto r = apply(c, a, b);
    if (c.small(2)) b = a;
    a = r;
  }
  return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static bool quiet = [] {
    tl::set_check_mode(tl::check_mode::off);
    return true;
  }();
  (void)quiet;
  if (size < 2) return 0;
  choices c{data, size};
  auto a = make(c);
  auto b = make(c);
  auto ops = c.p;
  auto left = c.n;
  tl::tensor eager;
  bool eager_ok = true;
  try {
    eager = program(ops, left, a, b);
  } catch (const tl::error&) {
    eager_ok = false;
  }
  // The same program traced (fresh function, so a trace per input) and replayed: it must agree with
  // eager execution on success or failure, and on the result's shape and dtype.
  try {
    auto traced = tl::function([&](const tl::tensor& x, const tl::tensor& y) { return program(ops, left, x, y); });
    auto r = traced(a, b);
    auto again = traced(a, b);
    if (!eager_ok || r.shape() != eager.shape() || r.dtype() != eager.dtype() || again.shape() != r.shape()) {
      std::fprintf(stderr, "fuzz_ops: traced and eager disagree\n");
      std::abort();
    }
  } catch (const tl::error&) {
    if (eager_ok) {
      std::fprintf(stderr, "fuzz_ops: the traced program failed where eager execution succeeded\n");
      std::abort();
    }
  }
  return 0;
}
