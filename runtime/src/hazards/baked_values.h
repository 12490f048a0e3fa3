#pragma once
// trace-stale-capture at run time. While tracing, every host value that an op bakes into the graph
// and that lives outside the traced call's own frames (a global, a variable of a caller's frame
// reached through a captured reference, a tensor handle that a captured reference names) is
// remembered with its address and bytes. Each replay compares them (one memcmp per value) and
// reports a value that changed: the graph still uses the old one.
//
// Only addresses the runtime can prove alive are kept: static storage of a user module, and the
// tracing thread's stack above the runtime's entry frame (frames of the caller that are still
// live). Heap addresses are never kept (nothing proves them alive), so a host value in a
// heap-allocated object is not checked; neither are values under AddressSanitizer's fake stack.
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tl/checks.h"

namespace tl::detail {

enum class baked_kind { host_double, tensor_handle };

class baked_values {
 public:
  void set_entry_frame(const void* frame) {
    entry_frame_ = frame;
    thread_ = std::this_thread::get_id();
  }
  // `location` is the statement's file:line when the op had one; otherwise `call_site` (an
  // operator's return address) is symbolized when a replay reports the value.
  void record(const void* addr, std::size_t size, baked_kind kind, const std::string& location, const void* call_site);
  std::vector<observation> check_replay(const std::string& function, const std::string& function_location,
                                        const void* entry_frame);
  std::size_t size() const { return entries_.size(); }

 private:
  struct entry {
    const void* addr;
    std::string bytes;
    baked_kind kind;
    bool on_stack;
    std::string symbol, location;
    const void* call_site;
    bool reported = false;
  };
  const void* entry_frame_ = nullptr;
  std::thread::id thread_;
  std::mutex mu_;
  std::vector<entry> entries_;
};

// Called by ops while tracing: the host value at `addr` is being baked into the current graph.
void note_baked(const void* addr, std::size_t size, baked_kind kind, const std::source_location& loc);

}  // namespace tl::detail
