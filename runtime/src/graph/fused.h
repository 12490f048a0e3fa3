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
  // The program as a chain (kernels/fused.cpp, linearize_program): one accumulator, each step combining
  // it with one input (or with itself, or nothing), so that the kernel keeps the accumulator in
  // registers and each input streams through memory once. Empty: the block interpreter runs it.
  struct step {
    op_kind op;
    int operand;      // input register, kSelf (the accumulator itself) or kNone (unary)
    bool acc_second;  // the accumulator is the op's second operand (x - acc, x / acc, ...)
  };
  static constexpr int kSelf = -1, kNone = -2;
  int chain_start = -1;  // input register the accumulator starts from
  std::vector<step> chain;
};

}  // namespace tl::detail
