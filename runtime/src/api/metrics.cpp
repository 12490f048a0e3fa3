#include "tl/metrics.h"

#include "autodiff/tape.h"
#include "tl/error.h"
#include "tl/ops.h"

namespace tl::metrics {

metric::metric(std::source_location loc)
    : total_(constant(0.0), "metric/total", false, loc), count_(constant(0.0), "metric/count", false, loc) {}

tensor metric::result() const {
  if (!divide_) return total_.value();
  // 0/0 before any update reports 0, as Keras does.
  auto c = count_.value();
  return where(greater(c, constant(0.0)), total_.value() / maximum(c, constant(1e-30)), constant(0.0));
}

void metric::reset_state() const {
  total_.assign(constant(0.0));
  count_.assign(constant(0.0));
}

void metric::accumulate(const tensor& total_delta, const tensor& count_delta) const {
  total_.assign_add(total_delta);
  count_.assign_add(count_delta);
}

namespace {
tensor as_float(const tensor& t) { return t.dtype() == dtype::float32 ? t : cast(t, dtype::float32); }
tensor element_count(const tensor& t) {
  if (t.size() >= 0) return constant(static_cast<double>(t.size()));
  return tl::sum(detail::ones_like_internal(as_float(t)));
}
}  // namespace

void mean::update_state(const tensor& values) const {
  auto v = as_float(values);
  accumulate(tl::sum(v), element_count(v));
}

void sum::update_state(const tensor& values) const { accumulate(tl::sum(as_float(values)), constant(0.0)); }

void accuracy::update_state(const tensor& y_true, const tensor& y_pred) const {
  auto hits = cast(equal(y_true, y_pred), dtype::float32);
  accumulate(tl::sum(hits), element_count(hits));
}

void sparse_categorical_accuracy::update_state(const tensor& labels, const tensor& y_pred) const {
  auto predicted = argmax(y_pred, -1);
  auto l = labels.dtype() == dtype::int64 ? labels : cast(labels, dtype::int64);
  if (l.rank() == predicted.rank() + 1) l = reshape(l, predicted.shape());
  auto hits = cast(equal(l, predicted), dtype::float32);
  accumulate(tl::sum(hits), element_count(hits));
}

}  // namespace tl::metrics
