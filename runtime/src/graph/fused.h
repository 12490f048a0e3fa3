#pragma once
// A chain (or tree) of float32 elementwise ops evaluated in one pass over the data: each block of
// kBlock elements goes through every instruction while it is in L1, instead of one full pass over
// memory per op.
#include <vector>

#include "graph/graph.h"

namespace tl::detail {

struct fused_program {
  struct instr {
    op_kind op;
    int dst, a, b;  // register indices; registers [0, num_inputs) hold the node's inputs
  };
  int num_inputs = 0;
  int num_regs = 0;
  std::vector<instr> code;
  static constexpr int kMaxRegs = 24;
};

}  // namespace tl::detail
