// Defined here, called from a traced function in train.cpp.
int g_calls = 0;
static int helper_depth = 0;
void inner() { helper_depth += 1; }      // WARN[trace-host-mutation]: global 'helper_depth' is written while tracing 'train_step'
void bump_calls() { ++g_calls; inner(); }  // WARN[trace-host-mutation]: global 'g_calls' is written while tracing 'train_step'
int pure(int x) {
  int y = x;
  y *= 2;  // a local: not host state
  return y;
}
void never_called_from_a_trace() { g_calls = 0; }
