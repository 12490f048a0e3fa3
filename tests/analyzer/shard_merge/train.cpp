// Traced functions that call helpers defined in the other files of this directory: a sharded run
// sees their writes only when tracelint merge joins the shards' summaries.
#include <tl/tl.h>

void record_step();
void reset_counters();
int scaled(int);

int main() {
  auto step = tl::function(
      [](const tl::tensor& x) {
        record_step();
        return x * static_cast<double>(scaled(3));
      },
      {.name = "train_step"});
  auto eval = tl::function(
      [](const tl::tensor& x) {
        reset_counters();
        return x;
      },
      {.name = "eval_step"});
  step(tl::ones({1}));
  eval(tl::ones({1}));
}
