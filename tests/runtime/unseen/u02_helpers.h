#pragma once
// Helpers for u02_lr_scheduler.cpp only: a Keras-like StepDecay scheduler and an EarlyStopping monitor.
#include <tl/tl.h>

#include <cmath>
#include <iostream>

struct StepDecay {
  tl::optimizers::sgd& opt;
  int every;
  double factor;
  void on_epoch_end(int epoch) {
    if ((epoch + 1) % every == 0) {
      opt.learning_rate *= factor;  // WARN[trace-stale-capture]: sgd::learning_rate is a host double baked into train_decay
      std::cout << "  scheduler: lr -> " << opt.learning_rate << "\n";
    }
  }
};

struct EarlyStopping {
  int patience;
  float best = 10.f;
  int wait = 0;
  bool should_stop(float val_loss) {
    if (val_loss < best - 1e-4f) {
      best = val_loss;  // WARN[trace-stale-capture]: 'best' is read by the traced validate step
      wait = 0;
      return false;
    }
    return ++wait >= patience;
  }
};

// Host-side cosine schedule for the second model; its value is passed to the traced step as a tensor.
inline double cosine_lr(double base, int epoch, int total) {
  return 0.5 * base * (1.0 + std::cos(3.14159265358979 * epoch / total));
}
