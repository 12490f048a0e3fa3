#pragma once
// A plan: one graph specialised to concrete input shapes. Planning re-runs shape inference, gives
// every computed value an offset in one arena by liveness (values whose lifetimes do not overlap
// share bytes), and turns reshapes, prints and assignments into aliases of their input. Replays
// borrow an arena from a pool, so a replay allocates nothing but the tensors it returns, and
// concurrent replays of one plan use different arenas.
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "graph/graph.h"
#include "kernels/kernels.h"
#include "tl/tensor.h"

namespace tl::detail {

class plan {
 public:
  plan(const graph& g, const std::vector<shape_t>& input_shapes);
  std::vector<tensor> run(const std::vector<tensor>& inputs);
  std::size_t arena_bytes() const { return arena_bytes_; }

 private:
  enum class binding : std::uint8_t { arena, input, constant, variable_alias, alias, output, unused };
  struct step {
    int node;
    kernel_fn fn;  // nullptr: a binding-only step (input, constant, aliased variable read)
    bool copy_variable = false;
  };
  struct arena {
    void* base = nullptr;
    std::vector<void*> ptrs;
    std::vector<buffer> views;
    std::vector<buffer> operands;  // a step's input views, reused across steps and replays
    // Storage of each graph output, handed to the caller as the result tensor. When the caller has
    // let go of the previous result, the next replay writes into the same storage: no allocation,
    // no copy, no fresh pages to fault in.
    struct output_slot {
      std::shared_ptr<storage> data;
      // True while a result tensor handed out from `data` is alive. Cleared by that tensor's
      // deleter with release order, read with acquire order: the next replay writes into `data`
      // only after every read of the previous result happened.
      std::shared_ptr<std::atomic<bool>> in_use;
    };
    std::vector<output_slot> outputs;
    ~arena();
  };
  std::unique_ptr<arena> acquire();
  void release(std::unique_ptr<arena> a);

  const graph& g_;
  std::vector<value_type> types_;
  std::vector<binding> binding_;
  std::vector<std::int64_t> offset_;
  std::vector<int> input_index_;
  std::vector<int> direct_output_;  // per node: index of the graph output computed in place, or -1
  std::vector<step> steps_;
  std::size_t arena_bytes_ = 0;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<arena>> pool_;
};

// Re-runs the shape rule of node `id` with the concrete types of its inputs.
value_type concrete_type(const graph& g, int id, const std::vector<value_type>& types);

// Graph passes run once per trace: constant folding, dead-node elimination, elementwise fusion.
// TL_FUSION=0 (read once per trace) turns off the fusions of issue 20: the GEMM-level ones
// (fused_matmul, matmul_update, sparse_xent_grad) and the generated loops of elementwise programs,
// leaving the interpreter. Tests compare both ways.
graph optimize(graph g);
bool fusion_enabled();

}  // namespace tl::detail
