#include <tl/tl.h>
int counter = 0;
double lr = 0.1;
tl::variable w(tl::ones(3));
int main() {
  auto step = tl::function([&](const tl::tensor& x) {
    ++counter;
    std::cout << x;
    printf("%d", std::rand());
    tl::variable v(x);
    w.assign_add(x * tl::tensor(lr));
    return tl::relu(x) + tl::tensor(double(x.item<float>()));
  }, {"step"});
  for (int i = 0; i < 3; ++i) { step(tl::ones(i)); lr = lr * 0.5; }
  for (int i = 0; i < 3; ++i) { auto f = tl::function([](const tl::tensor& x) { return x; }); f(i); }
  w.assign_sub(tl::ones(3));
}
