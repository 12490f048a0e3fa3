#pragma once
// Random numbers with TensorFlow's semantics. A seed fixes a *sequence*, not the values: every
// execution of a random op draws the next values of its sequence, so a run is reproducible from its
// seeds while successive calls differ.
//  - random_normal / random_uniform (op-level seed): eagerly, each call draws the next values of the
//    seed's sequence; inside a traced function each op has a sequence of its own, starting at the
//    seed, and every replay of the graph draws its next values (tf.random.normal(seed=...)).
//  - random_generator: explicit state, shared by every copy of the handle and advanced by every
//    draw, eager or replayed (tf.random.Generator). A state handle, like tl::variable.
//  - stateless_normal / stateless_uniform: the same seed gives the same values on every call, eager
//    or traced (tf.random.stateless_normal).
#include <cstdint>
#include <memory>
#include <source_location>

#include "tl/tensor.h"

namespace tl {

namespace detail {
struct random_stream;
}

tensor random_normal(shape_t shape, std::uint64_t seed, float mean = 0.f, float stddev = 1.f,
                     std::source_location loc = std::source_location::current());
tensor random_uniform(shape_t shape, std::uint64_t seed, float low = 0.f, float high = 1.f,
                      std::source_location loc = std::source_location::current());

tensor stateless_normal(shape_t shape, std::uint64_t seed, float mean = 0.f, float stddev = 1.f,
                        std::source_location loc = std::source_location::current());
tensor stateless_uniform(shape_t shape, std::uint64_t seed, float low = 0.f, float high = 1.f,
                         std::source_location loc = std::source_location::current());

class random_generator {
 public:
  explicit random_generator(std::uint64_t seed);

  tensor normal(shape_t shape, float mean = 0.f, float stddev = 1.f,
                std::source_location loc = std::source_location::current()) const;
  tensor uniform(shape_t shape, float low = 0.f, float high = 1.f,
                 std::source_location loc = std::source_location::current()) const;

  std::uint64_t seed() const;
  // Draws taken so far (each normal/uniform execution is one draw, whatever its shape).
  std::uint64_t draws() const;

  friend bool operator==(const random_generator& a, const random_generator& b) { return a.stream_ == b.stream_; }

 private:
  std::shared_ptr<detail::random_stream> stream_;
};

}  // namespace tl
