// Ported from the tf.function guide's tf.Module examples (a model whose call is traced): weights
// made in the constructor, outside any trace, are variables and are fine; host bookkeeping kept in
// members and updated in the traced call happens once per trace; a tensor kept in a member leaks.
#include <tl/tl.h>

#include <vector>

class Model {
 public:
  Model() : w_(tl::random_normal({3, 2}, 1)), b_(tl::zeros({2})) {}

  tl::tensor call(const tl::tensor& x) {
    ++calls_;  // WARN[trace-host-mutation]: calls_
    auto y = tl::relu(tl::matmul(x, w_) + b_.value());
    last_output_ = y;  // ERROR[trace-tensor-leak]: last_output_ // WARN[trace-host-mutation]: last_output_
    seen_.assign_add(tl::constant(1.0));
    return y;
  }

  tl::tensor call_clean(const tl::tensor& x) const {
    std::vector<tl::tensor> layers = {tl::matmul(x, w_), b_.value()};
    tl::tensor sum = layers[0] + layers[1];
    return tl::relu(sum);
  }

  int calls() const { return calls_; }
  const tl::variable& weights() const { return w_; }

 private:
  tl::variable w_;
  tl::variable b_;
  tl::variable seen_{tl::constant(0.0)};
  int calls_ = 0;
  tl::tensor last_output_;
};

int main() {
  Model model;
  auto forward = tl::function([&](const tl::tensor& x) { return model.call(x); }, {.name = "forward"});
  auto forward_clean = tl::function([&](const tl::tensor& x) { return model.call_clean(x); }, {.name = "forward_clean"});
  auto x = tl::ones({4, 3});
  for (int i = 0; i < 3; ++i) {
    forward(x);
    forward_clean(x);
  }
  // Host code between calls that only reads the model.
  int calls = model.calls();
  auto shape = model.weights().shape();
  return calls + static_cast<int>(shape.size()) > 0 ? 0 : 1;
}
