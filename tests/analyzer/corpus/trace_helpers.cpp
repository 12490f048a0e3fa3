// Beyond the guide: helper objects and containers that live inside one trace (an accumulator
// object, a sorted scratch vector, a lookup table) are host code that runs while tracing, but what
// they write dies with the trace: nothing to report. The same accumulator kept outside the trace is
// host state.
#include <tl/tl.h>

#include <algorithm>
#include <vector>

const std::vector<double> kWeights = {0.5, 0.25, 0.25};

class Accumulator {
 public:
  void add(const tl::tensor& x) {
    total_ = count_ == 0 ? x : total_ + x;  // ERROR[trace-tensor-leak]: total_ // WARN[trace-host-mutation]: total_
    ++count_;  // WARN[trace-host-mutation]: count_
  }
  tl::tensor mean() const { return total_ / static_cast<double>(count_); }

 private:
  tl::tensor total_;
  int count_ = 0;
};

int main() {
  auto averaged = tl::function([](const tl::tensor& x) {
    Accumulator acc;  // the trace's own object
    for (double w : kWeights) acc.add(x * w);
    return acc.mean();
  }, {.name = "averaged"});
  averaged(tl::ones({2}));

  auto sorted_weights = tl::function([](const tl::tensor& x) {
    std::vector<double> ws = kWeights;
    std::sort(ws.begin(), ws.end());
    return x * ws.back();
  }, {.name = "sorted_weights"});
  sorted_weights(tl::ones({2}));

  Accumulator shared;  // outlives the trace
  auto accumulates = tl::function([&](const tl::tensor& x) {
    shared.add(x);
    return x;
  }, {.name = "accumulates"});
  accumulates(tl::ones({2}));
  return 0;
}
