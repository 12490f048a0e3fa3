// Annotated cases for trace-host-random.
#include <tl/tl.h>


void positives() {
  std::mt19937 gen(1);
  auto f = tl::function([&](const tl::tensor& x) {
    double noise = std::rand() / 1e9;  // WARN[trace-host-random]: 'rand' draws a host random number or reads a clock while tracing 'f'
    auto t = std::chrono::steady_clock::now();  // WARN[trace-host-random]: reads a clock
    std::normal_distribution<float> d;
    float n = d(gen);  // WARN[trace-host-random]: draws a host random number
    (void)t;
    return x * noise * static_cast<double>(n);
  });
  (void)f;
}

void negatives() {
  auto f = tl::function([](const tl::tensor& x) { return x + tl::random_normal({2}, 42); });  // a seeded tl op
  int seed = std::rand();  // outside any traced function
  (void)seed;
  (void)f;
}

#define NOISE() (std::rand() % 3)

struct Jitter {
  std::mt19937 gen{7};
  float next() { return std::uniform_real_distribution<float>(0.f, 1.f)(gen); }  // WARN[trace-host-random]: draws a host random number or reads a clock while tracing 'member'
};

template <class T>
T stamp() {
  return static_cast<T>(std::time(nullptr));  // WARN[trace-host-random]: 'time' draws a host random number or reads a clock while tracing 'templ'
}

void more_positives() {
  auto m = tl::function([](const tl::tensor& x) { return x * static_cast<double>(NOISE()); }, {.name = "macro"});  // WARN[trace-host-random]: 'rand' draws
  Jitter j;
  auto member = tl::function([&](const tl::tensor& x) { return x * static_cast<double>(j.next()); }, {.name = "member"});
  auto templ = tl::function([](const tl::tensor& x) { return x * stamp<double>(); }, {.name = "templ"});
  auto clock = tl::function([](const tl::tensor& x) {
    auto t = std::chrono::system_clock::now();  // WARN[trace-host-random]: reads a clock
    (void)t;
    return x;
  });
  (void)m; (void)member; (void)templ; (void)clock;
}

void more_negatives() {
  Jitter j;
  float outside = j.next();
  auto f = tl::function([](const tl::tensor& x) { return x + tl::random_uniform({2}, 7, -1.f, 1.f); });
  auto g = tl::function([](const tl::tensor& x, const tl::tensor& noise) { return x + noise; });
  g(tl::ones({2}), tl::fill({2}, static_cast<double>(outside)));  // host noise passed in as a tensor
  auto t = std::chrono::steady_clock::now();
  (void)t; (void)f;
}

void device_entropy() {
  std::random_device rd;
  auto f = tl::function([&](const tl::tensor& x) {
    auto seed = rd();  // WARN[trace-host-random]: draws a host random number
    return x * static_cast<double>(seed % 7);
  });
  unsigned outside_seed = rd();  // outside: fine
  (void)outside_seed;
  (void)f;
}
