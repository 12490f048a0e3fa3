#pragma once
// Helpers for u09_checkpoint_logging.cpp only: TensorBoard-like scalar logging and a checkpoint manager.
#include <tl/tl.h>

#include <cstddef>
#include <iostream>
#include <vector>

inline std::vector<tl::tensor> g_loss_history;  // "summary writer" buffer

inline void log_scalar(const char* tag, const tl::tensor& value) {
  std::cout << "[log] " << tag << " rank " << value.rank() << "\n";  // WARN[trace-host-io]: reached from the traced step
}

inline void record_loss(const tl::tensor& loss) {
  g_loss_history.push_back(loss);  // ERROR[trace-tensor-leak]: symbolic loss kept in a global // WARN[trace-host-mutation]: symbolic loss kept in a global
}

class CheckpointManager {
 public:
  // Eager reads of the variables' current values: run on the host, between calls.
  void save(const std::vector<tl::variable>& vars) {
    std::vector<std::vector<float>> snap;
    for (const auto& v : vars) snap.push_back(v.value().to_vector<float>());
    snaps_.push_back(std::move(snap));
  }
  void restore(const std::vector<tl::variable>& vars, std::size_t i) const {
    for (std::size_t j = 0; j < vars.size(); ++j)
      vars[j].assign(tl::tensor::from_vector<float>(snaps_.at(i)[j], vars[j].shape()));
  }
  std::size_t size() const { return snaps_.size(); }

 private:
  std::vector<std::vector<std::vector<float>>> snaps_;
};
