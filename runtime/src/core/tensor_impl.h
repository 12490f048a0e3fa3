#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <source_location>
#include <string>
#include <vector>

#include "core/storage.h"
#include "core/value_type.h"

namespace tl::detail {

struct trace_state;

struct tensor_impl {
  value_type type;
  std::shared_ptr<storage> data;  // set for concrete tensors
  // Symbolic tensors: the trace that produced them and their node in its graph.
  trace_state* trace = nullptr;
  std::uint64_t trace_serial = 0;
  int node = -1;
  std::source_location loc;

  bool symbolic() const { return data == nullptr; }
};

struct variable_state {
  value_type type;
  std::shared_ptr<storage> data;
  std::string name;
  bool trainable = true;
  std::uint64_t id = 0;
  std::source_location created_at;
  // Made while tracing: the creating call's return addresses (innermost first), so that a variable
  // made by a member initializer or a library's constructor is placed at the user's statement.
  std::vector<const void*> created_stack;
  // False until the graph that created it first runs, for a variable initialized from a traced value.
  std::atomic<bool> initialized{true};
  std::mutex mu;  // guards `data` swaps (copy on write) against concurrent replays
  // trace-update-outside bookkeeping: read by a cached graph; eager updates since that graph ran.
  std::atomic<bool> read_by_graph{false};
  std::atomic<int> eager_updates{0};
  std::atomic<int> eager_update_episodes{0};
  std::source_location last_eager_update;  // where, for the observation's line (guarded by mu)
};

std::shared_ptr<tensor_impl> make_concrete(value_type t);  // uninitialized data
std::shared_ptr<tensor_impl> make_concrete(value_type t, std::shared_ptr<storage> data);

}  // namespace tl::detail
