// Annotated cases for trace-host-io.
#include <tl/tl.h>

#include <cstdio>
#include <fstream>
#include <iostream>

void log_loss(float v) { std::printf("loss %f\n", v); }  // WARN[trace-host-io]: 'printf' does host I/O while tracing 'logs_via_helper'

void positives() {
  auto f = tl::function([](const tl::tensor& x) {
    std::printf("tracing\n");  // WARN[trace-host-io]: 'printf' does host I/O while tracing 'f'
    std::cout << "shape " << x.rank() << "\n";  // WARN[trace-host-io]: does host I/O while tracing 'f'
    std::cerr << x << std::endl;  // WARN[trace-host-io]: does host I/O while tracing 'f'
    return x;
  });
  auto logs_via_helper = tl::function([](const tl::tensor& x) {
    log_loss(1.f);
    return x;
  });
  (void)f;
  (void)logs_via_helper;
}

void negatives() {
  auto f = tl::function([](const tl::tensor& x) { return tl::print(x, "x"); });  // a graph op: prints on every call
  std::printf("outside any traced function\n");
  std::cout << "also outside\n";
  (void)f;
}
