// Beyond the guide: a layer whose constructor makes its variables, built lazily behind a
// create-once guard in the caller. The constructor runs on the first trace only, like the branch;
// a constructor whose object is made on every trace creates variables on every trace.
#include <tl/tl.h>

#include <optional>

int layers_built = 0;

struct Dense {
  Dense() : w(tl::ones({2})) { ++layers_built; }
  tl::variable w;
  tl::tensor operator()(const tl::tensor& x) const { return x * w.value(); }
};

struct Conv {
  tl::variable k{tl::ones({3})};  // WARN[trace-variable-creation]: tl::variable
  tl::tensor operator()(const tl::tensor& x) const { return x * tl::sum(k.value()); }
};

struct LazyModel {
  std::optional<Dense> dense;
  tl::tensor operator()(const tl::tensor& x) {
    if (!dense) dense = Dense();
    return (*dense)(x);
  }
};

int main() {
  LazyModel lazy;
  auto lazy_step = tl::function([&](const tl::tensor& x) { return lazy(x); }, {.name = "lazy_step"});
  lazy_step(tl::ones({2}));
  auto eager_conv = tl::function([](const tl::tensor& x) { return Conv()(x); }, {.name = "eager_conv"});
  eager_conv(tl::ones({2}));
  return layers_built;
}
