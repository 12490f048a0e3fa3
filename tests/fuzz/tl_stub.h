// A self-contained stand-in for <tl/tl.h> for fuzz_source: the names and shapes the tl API pack
// matches (tl::function, tl::tensor, tl::variable, optimizers, metrics, print), no standard library,
// so each fuzz input parses in milliseconds instead of the real headers' hundreds.
#pragma once
namespace std {
typedef decltype(sizeof(0)) size_t;
struct mt19937 {
  unsigned operator()();
};
struct ostream {
  template <class T>
  ostream& operator<<(const T&);
};
extern ostream cout;
int rand();
}  // namespace std
extern "C" int printf(const char*, ...);
namespace tl {
using shape_t = long[4];
struct tensor {
  tensor();
  tensor(double);
  long rank() const;
  template <class T>
  T item() const;
  const void* raw_data() const;
  explicit operator bool() const;
};
tensor operator+(const tensor&, const tensor&);
tensor operator*(const tensor&, const tensor&);
tensor operator-(const tensor&, const tensor&);
tensor ones(int);
tensor zeros(int);
tensor relu(const tensor&);
tensor matmul(const tensor&, const tensor&);
tensor mean(const tensor&);
tensor print(const tensor&);
struct tensor_spec {
  long dims[4];
};
struct variable {
  variable(const tensor&);
  void assign(const tensor&);
  void assign_add(const tensor&);
  void assign_sub(const tensor&);
  tensor value() const;
  operator tensor() const;
};
struct gradient_tape {
  tensor gradient(const tensor&, const variable&);
};
struct function_options {
  const char* name;
  tensor_spec input_signature[2];
  bool reduce_retracing;
};
template <class F>
struct function {
  function(F f, function_options o = {});
  template <class... A>
  tensor operator()(A&&...) const;
};
template <class F>
function(F) -> function<F>;
template <class F>
function(F, function_options) -> function<F>;
namespace optimizers {
struct optimizer {
  void apply_gradients(const tensor&, const variable&);
};
struct sgd : optimizer {
  sgd(double);
};
}  // namespace optimizers
namespace metrics {
struct metric {
  void update_state(const tensor&);
  tensor result() const;
  void reset_state();
};
struct mean : metric {};
}  // namespace metrics
}  // namespace tl
