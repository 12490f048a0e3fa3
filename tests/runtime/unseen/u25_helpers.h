#pragma once
// Helpers for u25_function_factory.cpp only: factories that wrap a model's steps in tl::function objects.
#include <tl/tl.h>

#include <functional>
#include <vector>

inline int g_train_traces = 0;

struct LinearModel {
  tl::variable w{tl::zeros({3, 2}), "w"};
  tl::variable b{tl::zeros({2}), "b"};
  tl::tensor logits(const tl::tensor& x) const { return tl::matmul(x, w) + b.value(); }
  std::vector<tl::variable> vars() const { return {w, b}; }
};

using StepFn = tl::function<std::function<tl::tensor(const tl::tensor&, const tl::tensor&)>>;

inline StepFn make_train_fn(LinearModel& m, tl::optimizers::sgd& opt) {
  return StepFn([&m, &opt](const tl::tensor& x, const tl::tensor& y) {
    ++g_train_traces;  // WARN[trace-host-mutation]: counts traces of 'train', not steps
    tl::gradient_tape tape;
    auto loss = tl::mean(tl::sparse_softmax_cross_entropy(m.logits(x), y));
    auto vars = m.vars();
    opt.apply_gradients(tape.gradient(loss, vars), vars);
    return loss;
  }, {.name = "train"});
}

inline StepFn make_eval_fn(const LinearModel& m) {
  auto body = [&m](const tl::tensor& x, const tl::tensor& y) {
    auto pred = tl::argmax(m.logits(x), -1);
    return tl::mean(tl::cast(tl::equal(pred, y), tl::dtype::float32));
  };
  return StepFn(body, {.name = "eval"});  // WARN[trace-function-in-loop]: main calls this factory every epoch and calls the result once
}
