#pragma once
// tl::function: trace a callable once per input signature, cache the graph, replay it.
//
// The cache key of a call is: the dtype and shape of each tensor argument, the value of each host
// scalar argument (integral, floating point, bool), and the identity (address) of any other argument.
// On a miss the callable runs once with symbolic tensors in place of the tensor arguments: its host
// code runs then and only then, host values it turns into tensors are baked into the graph, and the
// tl ops it calls are recorded. The graph is optimized and planned; later calls with the same key
// replay the plan.
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "tl/checks.h"
#include "tl/tensor.h"
#include "tl/variable.h"

namespace tl {

struct function_options {
  std::string name;
  // When set, every call must match it (unknown dimensions are -1) and one trace serves them all.
  std::optional<std::vector<tensor_spec>> input_signature;
  // After a shape change, retrace with the changed dimensions generalized to unknown.
  bool reduce_retracing = false;
  // Run the callable as plain C++ on every call, for debugging.
  bool run_eagerly = false;
  // Trace again on calls the cache serves and compare with the cached graph (as TL_CHECK_MODE=verify
  // does for every function): finds host values baked through temporaries, containers and pointers.
  // The host code runs again on every verified call; a test mode.
  bool verify = false;
};

// Like tf.config.run_functions_eagerly: every tl::function runs its callable directly.
void run_functions_eagerly(bool enabled);
bool functions_run_eagerly();

namespace detail {

enum class key_kind : std::uint8_t { tensor, integer, floating, boolean, object };

struct key_part {
  key_kind kind;
  tl::dtype dtype = tl::dtype::float32;
  shape_t shape;
  std::int64_t int_value = 0;
  double float_value = 0;
  const void* object = nullptr;
  // Host floating-point values are compared by their bits: -0.0 is not 0.0 (x * s keeps the sign),
  // and every NaN is one value (append_key makes them one), which `==` would never match.
  bool operator==(const key_part& o) const {
    return kind == o.kind && dtype == o.dtype && shape == o.shape && int_value == o.int_value &&
           std::bit_cast<std::uint64_t>(float_value) == std::bit_cast<std::uint64_t>(o.float_value) &&
           object == o.object;
  }
};
using call_key = std::vector<key_part>;

struct concrete_function;

// The non-template part of tl::function: cache, tracing, planning, replay. Thread-safe.
class function_core {
 public:
  function_core(function_options options, std::source_location created_at);
  ~function_core();

  using trace_body = std::function<std::vector<tensor>(const std::vector<tensor>& symbolic_inputs)>;
  // Finds the cached graph for the key, or traces one; then runs it on the tensor arguments.
  // `call_site`: the return address into the caller, named as file:line only when a retrace is reported.
  std::vector<tensor> call(call_key key, const std::vector<tensor>& tensor_args, const trace_body& body,
                           const void* call_site = nullptr);

  const function_options& options() const { return options_; }
  int tracing_count() const;
  std::vector<std::string> cached_signatures() const;
  const std::string& display_name() const;

 private:
  bool verify_this_call();
  void note_call(bool retraced, const call_key& key, const std::vector<call_key>& cached,
                 const void* call_site = nullptr, const std::vector<const void*>& cached_sites = {},
                 bool generalized = false);
  struct impl;
  std::unique_ptr<impl> impl_;
  function_options options_;
  std::vector<tl::observation> pending_;  // frequent-retrace reports, raised after the call's bookkeeping
};

bool tracing_active();  // is this thread building a graph right now?

template <class T>
using bare_t = std::remove_cvref_t<T>;

template <class T>
void append_key(call_key& key, std::vector<tensor>& tensors, const T& arg) {
  using U = bare_t<T>;
  if constexpr (std::is_same_v<U, tensor>) {
    key.push_back({key_kind::tensor, arg.dtype(), arg.shape()});
    tensors.push_back(arg);
  } else if constexpr (std::is_same_v<U, bool>) {
    key.push_back({key_kind::boolean, {}, {}, arg ? 1 : 0});
  } else if constexpr (std::is_integral_v<U> || std::is_enum_v<U>) {
    key.push_back({key_kind::integer, {}, {}, static_cast<std::int64_t>(arg)});
  } else if constexpr (std::is_floating_point_v<U>) {
    auto value = static_cast<double>(arg);
    if (std::isnan(value)) value = std::numeric_limits<double>::quiet_NaN();
    key.push_back({key_kind::floating, {}, {}, 0, value});
  } else if constexpr (std::is_same_v<U, variable>) {
    key.push_back({key_kind::object, {}, {}, 0, 0, arg.state()});
  } else {
    key.push_back({key_kind::object, {}, {}, 0, 0, static_cast<const void*>(&arg)});
  }
}

// Tensor arguments are replaced by the symbolic inputs while tracing; everything else passes through.
template <class T>
decltype(auto) substitute(T&& arg, const std::vector<tensor>& symbolic, std::size_t& next) {
  if constexpr (std::is_same_v<bare_t<T>, tensor>) {
    return tensor(symbolic[next++]);
  } else {
    return std::forward<T>(arg);
  }
}

template <class R>
struct result_traits {
  static_assert(sizeof(R) == 0,
                "a tl::function callable must return void, tl::tensor, std::vector<tl::tensor>, "
                "or a std::pair/std::tuple of tl::tensor");
};
template <>
struct result_traits<void> {
  static std::vector<tensor> flatten() { return {}; }
  static void unflatten(std::vector<tensor>&&) {}
};
template <>
struct result_traits<tensor> {
  static std::vector<tensor> flatten(tensor t) { return {std::move(t)}; }
  static tensor unflatten(std::vector<tensor>&& v) { return std::move(v.at(0)); }
};
template <>
struct result_traits<std::vector<tensor>> {
  static std::vector<tensor> flatten(std::vector<tensor> v) { return v; }
  static std::vector<tensor> unflatten(std::vector<tensor>&& v) { return std::move(v); }
};
template <class... Ts>
struct result_traits<std::tuple<Ts...>> {
  static_assert((std::is_same_v<Ts, tensor> && ...), "tuple results must hold only tl::tensor");
  static std::vector<tensor> flatten(std::tuple<Ts...> t) {
    return std::apply([](auto&&... x) { return std::vector<tensor>{x...}; }, std::move(t));
  }
  static std::tuple<Ts...> unflatten(std::vector<tensor>&& v) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return std::tuple<Ts...>{std::move(v.at(I))...};
    }(std::index_sequence_for<Ts...>{});
  }
};
template <class A, class B>
struct result_traits<std::pair<A, B>> {
  static_assert(std::is_same_v<A, tensor> && std::is_same_v<B, tensor>, "pair results must hold tl::tensor");
  static std::vector<tensor> flatten(std::pair<A, B> p) { return {p.first, p.second}; }
  static std::pair<A, B> unflatten(std::vector<tensor>&& v) { return {v.at(0), v.at(1)}; }
};

}  // namespace detail

template <class F>
class function {
 public:
  explicit function(F callable, function_options options = {},
                    std::source_location created_at = std::source_location::current())
      : callable_(std::move(callable)),
        core_(std::make_shared<detail::function_core>(std::move(options), created_at)) {}

  // Not inlined, so that its return address is the caller's call site (a retrace names that line).
  template <class... Args>
  [[gnu::noinline]] auto operator()(Args&&... args) const {
    using R = std::remove_cvref_t<std::invoke_result_t<const F&, Args&&...>>;
    using traits = detail::result_traits<R>;
    // Inside another trace the callable is inlined into the outer graph, as TF inlines nested calls.
    if (core_->options().run_eagerly || functions_run_eagerly() || detail::tracing_active()) {
      return std::invoke(callable_, std::forward<Args>(args)...);
    }
    detail::call_key key;
    std::vector<tensor> tensors;
    (detail::append_key(key, tensors, args), ...);
    auto body = [&](const std::vector<tensor>& symbolic) -> std::vector<tensor> {
      std::size_t next = 0;
      // Braced initialization evaluates left to right, so symbolic inputs follow argument order;
      // tensors are held by value in the tuple, everything else by reference to the caller's args.
      std::tuple<decltype(detail::substitute(std::forward<Args>(args), symbolic, next))...> substituted{
          detail::substitute(std::forward<Args>(args), symbolic, next)...};
      if constexpr (std::is_void_v<R>) {
        std::apply(callable_, std::move(substituted));
        return {};
      } else {
        return traits::flatten(std::apply(callable_, std::move(substituted)));
      }
    };
    auto outputs = core_->call(std::move(key), tensors, body, __builtin_return_address(0));
    return traits::unflatten(std::move(outputs));
  }

  int tracing_count() const { return core_->tracing_count(); }
  std::vector<std::string> cached_signatures() const { return core_->cached_signatures(); }
  const function_options& options() const { return core_->options(); }

 private:
  F callable_;
  std::shared_ptr<detail::function_core> core_;
};

template <class F>
function(F, function_options = {}, std::source_location = std::source_location::current()) -> function<F>;

}  // namespace tl
