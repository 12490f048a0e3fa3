// Ported from the tf.function guide, "Changing Python global and free variables" (the iterator
// example): a host cursor advanced inside the function advances once per trace, so every replay
// adds the element the trace saw. Passing each element as a tensor argument is the fix.
#include <tl/tl.h>

#include <cstddef>
#include <vector>

int main() {
  std::vector<double> values = {0, 1, 2, 3};
  std::size_t next_index = 0;
  tl::variable external_var(tl::constant(0.0));
  auto buggy_consume_next = tl::function([&](const tl::tensor& dummy) {
    external_var.assign_add(tl::constant(values[next_index]));
    next_index += 1;  // WARN[trace-host-mutation]: next_index
    return dummy;
  }, {.name = "buggy_consume_next"});
  for (int i = 0; i < 3; ++i) buggy_consume_next(tl::constant(0.0));

  tl::variable total(tl::constant(0.0));
  auto good_consume_next = tl::function([&](const tl::tensor& value) {
    total.assign_add(value);
    return value;
  }, {.name = "good_consume_next"});
  for (double v : values) good_consume_next(tl::constant(v));

  // Iterating a host container inside the function is fine when nothing outlives the call.
  auto sum_rows = tl::function([&](const tl::tensor& x) {
    tl::tensor acc = x * 0.0;
    std::size_t seen = 0;
    for (double v : values) {
      acc = acc + x * v;
      ++seen;
    }
    return acc / static_cast<double>(seen);
  }, {.name = "sum_rows"});
  sum_rows(tl::ones({2}));
  sum_rows(tl::ones({2}));
  return 0;
}
