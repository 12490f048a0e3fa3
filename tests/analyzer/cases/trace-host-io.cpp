// Annotated cases for trace-host-io.
#include <tl/tl.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

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

#define LOG(msg) std::puts(msg)

template <class T>
T logged(T v) {
  std::fprintf(stderr, "value\n");  // WARN[trace-host-io]: 'fprintf' does host I/O while tracing 'templ'
  return v;
}

struct Reporter {
  void report(const tl::tensor& x) { std::cout << x.rank(); }  // WARN[trace-host-io]: does host I/O while tracing 'member'
};

void more_positives() {
  auto m = tl::function([](const tl::tensor& x) {
    LOG("tracing");  // WARN[trace-host-io]: 'puts' does host I/O while tracing 'macro'
    std::ofstream out("trace.log");  // WARN[trace-host-io]: does host I/O while tracing 'macro'
    return x;
  }, {.name = "macro"});
  auto templ = tl::function([](const tl::tensor& x) { return logged(x); }, {.name = "templ"});
  Reporter r;
  auto member = tl::function([&](const tl::tensor& x) {
    r.report(x);
    return x;
  }, {.name = "member"});
  (void)m; (void)templ; (void)member;
}

void more_negatives() {
  auto f = tl::function([](const tl::tensor& x) {
    auto y = tl::print(x * 2.0, "doubled");
    return tl::print(y);
  });
  LOG("outside");
  std::ofstream out("outside.log");
  Reporter r;
  r.report(tl::ones({1}));
  (void)f;
}

// Issue 28.7: a string stream is memory, not an output: building a message in one is no host I/O;
// printing the message is, where it is printed.
void string_streams() {
  auto f = tl::function([](const tl::tensor& x) {
    std::ostringstream label;
    label << "step " << 3 << ": " << x;
    std::stringstream both;
    both << "shape";
    std::cout << label.str();  // WARN[trace-host-io]: std::operator<<
    return x;
  });
  (void)f;
}

