#include "executor/plan.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>

#include "core/tensor_impl.h"
#include "tl/error.h"

namespace tl::detail {

namespace {
std::size_t align_up(std::size_t n) { return (n + 63) / 64 * 64; }

// First-fit allocator over a growing arena; freed blocks are reused by later values.
class offset_allocator {
 public:
  std::size_t allocate(std::size_t bytes) {
    bytes = align_up(std::max<std::size_t>(bytes, 1));
    for (auto it = free_.begin(); it != free_.end(); ++it) {
      if (it->second >= bytes) {
        auto off = it->first;
        auto rest = it->second - bytes;
        free_.erase(it);
        if (rest) free_.emplace(off + bytes, rest);
        return off;
      }
    }
    auto off = end_;
    end_ += bytes;
    return off;
  }
  void release(std::size_t off, std::size_t bytes) {
    bytes = align_up(std::max<std::size_t>(bytes, 1));
    auto it = free_.emplace(off, bytes).first;
    auto next = std::next(it);
    if (next != free_.end() && it->first + it->second == next->first) {
      it->second += next->second;
      free_.erase(next);
    }
    if (it != free_.begin()) {
      auto prev = std::prev(it);
      if (prev->first + prev->second == it->first) {
        prev->second += it->second;
        free_.erase(it);
      }
    }
  }
  std::size_t size() const { return end_; }

 private:
  std::map<std::size_t, std::size_t> free_;
  std::size_t end_ = 0;
};
}  // namespace

value_type concrete_type(const graph& g, int id, const std::vector<value_type>& types) {
  const auto& n = g.nodes[static_cast<std::size_t>(id)];
  if (n.kind == op_kind::constant || n.kind == op_kind::read_variable) return n.out;
  // Fusion only takes nodes with fully known shapes, so a fused node's type is fixed.
  if (is_executor_fused(n.kind)) return n.out;
  std::vector<const value_type*> in;
  for (int i : n.inputs) in.push_back(&types[static_cast<std::size_t>(i)]);
  return infer(n.kind, n.attrs, in, n.loc);
}

plan::plan(const graph& g, const std::vector<shape_t>& input_shapes) : g_(g) {
  auto count = g.nodes.size();
  types_.resize(count);
  binding_.assign(count, binding::unused);
  offset_.assign(count, -1);
  input_index_.assign(count, -1);
  for (std::size_t i = 0; i < g.inputs.size(); ++i) {
    input_index_[static_cast<std::size_t>(g.inputs[i])] = static_cast<int>(i);
  }
  // Concrete types, and the alias root of every value.
  std::vector<int> root(count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto& n = g.nodes[i];
    if (n.kind == op_kind::placeholder) {
      types_[i] = {n.out.type, input_shapes[static_cast<std::size_t>(input_index_[i])]};
    } else {
      types_[i] = concrete_type(g, static_cast<int>(i), types_);
    }
    root[i] = output_aliases_input(n.kind) ? root[static_cast<std::size_t>(n.inputs[0])] : static_cast<int>(i);
  }
  // Last step at which each root is needed; graph outputs live to the end.
  std::vector<std::size_t> last_use(count, 0);
  for (std::size_t i = 0; i < count; ++i) {
    last_use[static_cast<std::size_t>(root[i])] = std::max(last_use[static_cast<std::size_t>(root[i])], i);
    for (int in : g.nodes[i].inputs) {
      auto r = static_cast<std::size_t>(root[static_cast<std::size_t>(in)]);
      last_use[r] = std::max(last_use[r], i);
    }
  }
  for (int out : g.outputs) last_use[static_cast<std::size_t>(root[static_cast<std::size_t>(out)])] = count;
  // A variable read may alias the variable's memory unless the graph assigns that variable while
  // the read value is still needed.
  std::vector<bool> read_must_copy(count, false);
  for (std::size_t i = 0; i < count; ++i) {
    if (g.nodes[i].kind != op_kind::read_variable) continue;
    for (std::size_t j = i + 1; j < count && j <= last_use[i]; ++j) {
      auto kind = g.nodes[j].kind;
      if ((kind == op_kind::assign_variable || kind == op_kind::matmul_update) &&
          g.nodes[j].attrs.var == g.nodes[i].attrs.var) {
        read_must_copy[i] = true;
        break;
      }
    }
  }
  // Outputs computed by a kernel of their own (not aliases, inputs or constants) are written straight
  // into the result's storage.
  direct_output_.assign(count, -1);
  for (std::size_t k = 0; k < g.outputs.size(); ++k) {
    auto o = static_cast<std::size_t>(g.outputs[k]);
    const auto& n = g.nodes[o];
    bool computed = !is_source(n.kind) && !output_aliases_input(n.kind);
    bool aliased = false;
    for (std::size_t i = 0; i < count; ++i) aliased |= root[i] == static_cast<int>(o) && i != o;
    if (computed && !aliased && direct_output_[o] < 0) direct_output_[o] = static_cast<int>(k);
  }
  offset_allocator alloc;
  std::vector<std::vector<int>> dies_at(count + 1);
  for (std::size_t i = 0; i < count; ++i) {
    const auto& n = g.nodes[i];
    step s{static_cast<int>(i), nullptr};
    switch (n.kind) {
      case op_kind::placeholder:
        binding_[i] = binding::input;
        break;
      case op_kind::constant:
        binding_[i] = binding::constant;
        break;
      case op_kind::read_variable:
        if (read_must_copy[i]) {
          binding_[i] = binding::arena;
          s.copy_variable = true;
        } else {
          binding_[i] = binding::variable_alias;
        }
        break;
      default:
        s.fn = kernel_for(n.kind);
        if (!s.fn) throw tl::error(std::string("tl: internal: no kernel for ") + op_name(n.kind));
        binding_[i] = output_aliases_input(n.kind) ? binding::alias : binding::arena;
    }
    if (binding_[i] == binding::arena && direct_output_[i] >= 0) binding_[i] = binding::output;
    if (binding_[i] == binding::arena) {
      offset_[i] = static_cast<std::int64_t>(alloc.allocate(byte_size(types_[i])));
      dies_at[last_use[i]].push_back(static_cast<int>(i));
    }
    steps_.push_back(s);
    // Free after allocating this step's output, so an output never overlaps its own inputs.
    for (int d : dies_at[i])
      alloc.release(static_cast<std::size_t>(offset_[static_cast<std::size_t>(d)]),
                    byte_size(types_[static_cast<std::size_t>(d)]));
  }
  arena_bytes_ = alloc.size();
}

plan::arena::~arena() { std::free(base); }

std::unique_ptr<plan::arena> plan::acquire() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!pool_.empty()) {
      auto a = std::move(pool_.back());
      pool_.pop_back();
      return a;
    }
  }
  auto a = std::make_unique<arena>();
  a->base = aligned_alloc_or_throw(std::max<std::size_t>(arena_bytes_, 64));
  a->ptrs.assign(g_.nodes.size(), nullptr);
  a->outputs.resize(g_.outputs.size());
  a->views.resize(g_.nodes.size());
  for (std::size_t i = 0; i < g_.nodes.size(); ++i) {
    a->views[i] = buffer{nullptr, &types_[i].shape, types_[i].type, num_elements(types_[i].shape)};
  }
  return a;
}

void plan::release(std::unique_ptr<arena> a) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  pool_.push_back(std::move(a));
}

std::vector<tensor> plan::run(const std::vector<tensor>& inputs) {
  auto a = acquire();
  struct give_back {
    plan* p;
    std::unique_ptr<arena>& a;
    ~give_back() { p->release(std::move(a)); }
  } guard{this, a};
  auto* base = static_cast<char*>(a->base);
  auto& in_views = a->operands;
  for (const auto& s : steps_) {
    auto i = static_cast<std::size_t>(s.node);
    const auto& n = g_.nodes[i];
    void*& p = a->ptrs[i];
    switch (binding_[i]) {
      case binding::input:
        p = inputs[static_cast<std::size_t>(input_index_[i])].impl()->data->data;
        break;
      case binding::constant:
        p = n.attrs.data->data;
        break;
      case binding::variable_alias: {
        std::lock_guard<std::mutex> lock(n.attrs.var->mu);
        p = n.attrs.var->data->data;
        break;
      }
      case binding::alias:
        p = a->ptrs[static_cast<std::size_t>(n.inputs[0])];
        break;
      case binding::arena:
        p = base + offset_[i];
        break;
      case binding::output: {
        auto& slot = a->outputs[static_cast<std::size_t>(direct_output_[i])];
        if (!slot.data || slot.in_use->load(std::memory_order_acquire)) {
          slot.data = allocate_storage(byte_size(types_[i]));  // the old one lives on with its tensor
          slot.in_use = std::make_shared<std::atomic<bool>>(false);
        }
        p = slot.data->data;
        break;
      }
      case binding::unused:
        break;
    }
    a->views[i].data = p;
    if (s.copy_variable) {
      std::lock_guard<std::mutex> lock(n.attrs.var->mu);
      std::memcpy(p, n.attrs.var->data->data, byte_size(types_[i]));
    }
    if (!s.fn) continue;
    in_views.clear();
    for (int in : n.inputs) in_views.push_back(a->views[static_cast<std::size_t>(in)]);
    s.fn(n, in_views.data(), a->views[i]);
  }
  std::vector<tensor> out;
  out.reserve(g_.outputs.size());
  for (std::size_t k = 0; k < g_.outputs.size(); ++k) {
    auto oi = static_cast<std::size_t>(g_.outputs[k]);
    // A node returned twice is handed out in place once; the other results are copies.
    if (binding_[oi] == binding::output && direct_output_[oi] == static_cast<int>(k)) {
      auto& slot = a->outputs[static_cast<std::size_t>(direct_output_[oi])];
      slot.in_use->store(true, std::memory_order_relaxed);
      // The result shares the slot's storage; its deleter marks the slot free again.
      std::shared_ptr<storage> handed(slot.data.get(), [keep = slot.data, flag = slot.in_use](storage*) {
        flag->store(false, std::memory_order_release);
      });
      out.emplace_back(make_concrete(types_[oi], std::move(handed)));
      continue;
    }
    auto impl = make_concrete(types_[oi]);
    std::memcpy(impl->data->data, a->ptrs[oi], byte_size(types_[oi]));
    out.emplace_back(std::move(impl));
  }
  return out;
}

}  // namespace tl::detail
