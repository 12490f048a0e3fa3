// Random ops: where each execution's values come from (see tl/random.h for the semantics).
#include "tl/random.h"

#include <mutex>
#include <unordered_map>

#include "tracer/trace.h"

namespace tl {

using detail::op_attrs;
using detail::op_kind;
using detail::random_stream;

namespace {

// Eager calls with the same op-level seed continue one sequence per seed, as TF's eager runtime
// reuses one kernel (and its counter) for calls with the same attributes.
std::shared_ptr<random_stream> eager_stream(std::uint64_t seed) {
  static std::mutex mu;
  static auto* streams = new std::unordered_map<std::uint64_t, std::shared_ptr<random_stream>>;
  std::lock_guard<std::mutex> lock(mu);
  auto& s = (*streams)[seed];
  if (!s) s = std::make_shared<random_stream>(seed);
  return s;
}

tensor draw(op_kind k, shape_t shape, float a, float b, std::shared_ptr<random_stream> stream, std::uint64_t seed,
            const std::source_location& loc) {
  op_attrs attrs;
  attrs.ints = std::move(shape);
  attrs.seed = seed;
  attrs.scalar = a;
  attrs.scalar2 = b;
  attrs.rng = std::move(stream);
  return detail::make_op(k, std::move(attrs), {}, loc);
}

// An op-level seed inside a trace starts a sequence of its own for that graph node; replays advance it.
std::shared_ptr<random_stream> op_stream(std::uint64_t seed) {
  return detail::current_trace() ? std::make_shared<random_stream>(seed) : eager_stream(seed);
}

}  // namespace

tensor random_normal(shape_t shape, std::uint64_t seed, float mean, float stddev, std::source_location loc) {
  return draw(op_kind::random_normal, std::move(shape), mean, stddev, op_stream(seed), seed, loc);
}
tensor random_uniform(shape_t shape, std::uint64_t seed, float low, float high, std::source_location loc) {
  return draw(op_kind::random_uniform, std::move(shape), low, high, op_stream(seed), seed, loc);
}
tensor stateless_normal(shape_t shape, std::uint64_t seed, float mean, float stddev, std::source_location loc) {
  return draw(op_kind::stateless_normal, std::move(shape), mean, stddev, nullptr, seed, loc);
}
tensor stateless_uniform(shape_t shape, std::uint64_t seed, float low, float high, std::source_location loc) {
  return draw(op_kind::stateless_uniform, std::move(shape), low, high, nullptr, seed, loc);
}

random_generator::random_generator(std::uint64_t seed) : stream_(std::make_shared<random_stream>(seed)) {}

tensor random_generator::normal(shape_t shape, float mean, float stddev, std::source_location loc) const {
  return draw(op_kind::random_normal, std::move(shape), mean, stddev, stream_, stream_->seed, loc);
}
tensor random_generator::uniform(shape_t shape, float low, float high, std::source_location loc) const {
  return draw(op_kind::random_uniform, std::move(shape), low, high, stream_, stream_->seed, loc);
}
std::uint64_t random_generator::seed() const { return stream_->seed; }
std::uint64_t random_generator::draws() const { return stream_->next_draw.load(std::memory_order_relaxed); }

}  // namespace tl
