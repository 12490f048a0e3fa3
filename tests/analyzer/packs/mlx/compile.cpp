// mlx::core::compile traces the function with placeholder arrays, once per input shape, dtype and
// input count, and replays the compiled graph afterwards. Anything that is not an input is a
// constant of the graph; host code runs only while tracing.
#include <mlx_decls.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <vector>

namespace mx = mlx::core;

int g_calls = 0;
std::vector<mx::array> g_saved;

std::vector<mx::array> gelu_like(const std::vector<mx::array> &in) { return {in[0] * mx::exp(in[0])}; }

void host_state() {
  auto counted = mx::compile([](const std::vector<mx::array> &in) {
    g_calls++;  // WARN[trace-host-mutation]: global 'g_calls' is incremented while compiling 'counted'
    return std::vector<mx::array>{in[0] + in[0]};
  });
  mx::array x = mx::ones({4});
  counted({x});
  counted({x});
}

void host_io_and_random() {
  auto fun = mx::compile([](const std::vector<mx::array> &in) {
    std::printf("tracing\n");  // WARN[trace-host-io]: 'printf' does host I/O while compiling 'fun'
    float noise = static_cast<float>(std::rand()) / RAND_MAX;  // WARN[trace-host-random]: 'rand' draws a host random number or reads a clock while compiling 'fun'
    return std::vector<mx::array>{in[0] * mx::array(noise)};
  });
  fun({mx::ones({2})});
}

void evaluates_inside() {
  auto fun = mx::compile([](const std::vector<mx::array> &in) {
    mx::array s = mx::sum(in[0]);
    float total = s.item<float>();  // ERROR[trace-host-read]: 'item' reads the value of an array while compiling 'fun'
    mx::eval({s});  // ERROR[trace-host-read]: 'mlx::core::eval' evaluates an array while compiling 'fun'
    std::cout << s;  // ERROR[trace-host-read]: 'mlx::core::operator<<' evaluates an array while compiling 'fun'
    return std::vector<mx::array>{in[0] * mx::array(total)};
  });
  fun({mx::ones({3})});
}

void leaks_placeholder() {
  auto fun = mx::compile([](const std::vector<mx::array> &in) {
    mx::array y = mx::exp(in[0]);
    g_saved.push_back(y);  // ERROR[trace-tensor-leak]: an array computed while compiling 'fun' is stored into global 'g_saved' // WARN[trace-host-mutation]: global 'g_saved' is changed by 'push_back()' while compiling 'fun'
    return std::vector<mx::array>{y};
  });
  fun({mx::ones({3})});
}

// MLX's own tests assert this: a captured int changed after compiling is not seen.
void captured_constant() {
  int x = 2;
  auto fun = mx::compile([&x](const std::vector<mx::array> &in) { return std::vector<mx::array>{in[0] * mx::array(x)}; });
  mx::array a = mx::ones({2});
  fun({a});
  x = 3;  // WARN[trace-stale-capture]: 'x' is changed here, but 'fun' baked its value into the compiled graph
  fun({a});
}

void captured_by_copy() {
  float scale = 0.5f;
  auto fun = mx::compile([scale](const std::vector<mx::array> &in) { return std::vector<mx::array>{in[0] * mx::array(scale)}; });
  mx::array a = mx::ones({2});
  fun({a});
  scale = 2.0f;  // WARN[trace-stale-capture]: 'scale' is changed here, but 'fun' captured it by value
  fun({a});
}

void compile_lambda_in_loop(const std::vector<mx::array> &batches) {
  float temperature = 0.7f;
  for (const auto &batch : batches) {
    auto step = mx::compile([&](const std::vector<mx::array> &in) {  // WARN[trace-function-in-loop]: 'step' compiles a lambda inside a loop and calls it there
      return std::vector<mx::array>{in[0] * mx::array(temperature)};
    });
    step({batch});
  }
}

// A plain function is cached by its address: compiling it again in the loop reuses the entry.
void compile_function_in_loop(const std::vector<mx::array> &batches) {
  for (const auto &batch : batches) {
    auto step = mx::compile(gelu_like);
    step({batch});
  }
}

void varying_shapes(int steps) {
  auto f = mx::compile(gelu_like);
  for (int n = 1; n <= steps; ++n) {
    f({mx::ones({n})});  // WARN[trace-shape-retrace]: input 0 of 'gelu_like' changes shape from iteration to iteration (its shape uses 'n')
    f({mx::ones({4}), mx::zeros({n, 4})});  // WARN[trace-shape-retrace]: input 1 of 'gelu_like' changes shape
  }
  for (int i = 0; i < steps; ++i) f({mx::ones({8})});  // one shape: traced once
}

// The correct forms: compile once, pass changing values as inputs, evaluate after the call.
void idioms(const std::vector<mx::array> &batches) {
  auto step = mx::compile([](const std::vector<mx::array> &in) {
    mx::array gated = mx::where(mx::greater(in[0], in[1]), in[0], in[1]);
    return std::vector<mx::array>{gated * in[2]};
  });
  mx::array scale = mx::array(0.5f);
  for (const auto &batch : batches) {
    auto out = step({batch, mx::zeros({4}), scale});
    mx::eval(out);
    std::cout << out[0] << "\n";
    scale = mx::array(1.0f);
  }
  auto shapeless = mx::compile(gelu_like, /*shapeless=*/true);
  for (int n = 1; n < 4; ++n) shapeless({mx::ones({n})});
  std::printf("done\n");
}

// Host code outside the compiled function runs on every call as usual.
void host_work_outside() {
  auto fun = mx::compile(gelu_like);
  for (int i = 0; i < 3; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto out = fun({mx::ones({4})});
    mx::eval(out);
    g_calls++;
    (void)t0;
  }
}
