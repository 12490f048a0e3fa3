// Declarations of the parts of MLX's C++ API (mlx/mlx.h) that the mlx pack's cases use: arrays,
// a few ops, eval and compile. Names and signatures follow mlx/array.h, mlx/ops.h,
// mlx/transforms.h and mlx/compile.h; bodies are left out.
#pragma once
#include <functional>
#include <ostream>
#include <vector>

namespace mlx::core {
using Shape = std::vector<int>;
class array {
 public:
  array(float value);
  array(int value);
  array(const array &) = default;
  array &operator=(const array &) = default;
  template <typename T>
  T item();
  template <typename T>
  T *data();
  void eval();
  Shape shape() const;
  int ndim() const;
  std::size_t size() const;
};
array operator+(const array &a, const array &b);
array operator*(const array &a, const array &b);
array operator-(const array &a, const array &b);
array zeros(const Shape &shape);
array ones(const Shape &shape);
array exp(const array &a);
array sum(const array &a);
array where(const array &condition, const array &x, const array &y);
array greater(const array &a, const array &b);
void eval(std::vector<array> outputs);
void async_eval(std::vector<array> outputs);
std::ostream &operator<<(std::ostream &os, const array &a);

// A plain function is cached by its address (compiling it again reuses the cache entry); any other
// callable gets a new entry on every compile.
std::function<std::vector<array>(const std::vector<array> &)> compile(
    std::function<std::vector<array>(const std::vector<array> &)> fun, bool shapeless = false);
void disable_compile();
void enable_compile();
namespace random {
array normal(const Shape &shape, const array &key);
array key(unsigned long long seed);
}  // namespace random
}  // namespace mlx::core
