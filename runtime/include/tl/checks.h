#pragma once
// Run-time hazard checks. The runtime observes, as they happen, the hazards the analyzer finds
// statically (the same rule ids): host state written while tracing, baked host values that went
// stale, retraces and their causes, variables created in traces, host reads of symbolic tensors,
// tensors leaked out of a trace, variables updated eagerly between graph calls.
//
// Mode: TL_CHECK_MODE=off|warn|assert|verify in the environment, or set_check_mode / scoped_check_mode.
// warn (the default) logs each distinct hazard once to stderr; assert throws tl::hazard_error where
// the hazard is observed. Independently, TL_REPORT=<path> writes every observation as JSON when the
// process exits (docs/runtime-report.md has the schema).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tl/error.h"

namespace tl {

// verify: as warn, and every call the cache serves is traced again and compared with the cached
// graph (see function_options::verify; TL_VERIFY_EVERY=N verifies every Nth such call).
enum class check_mode { off, warn, assert_, verify };

void set_check_mode(check_mode m);
check_mode get_check_mode();

class scoped_check_mode {
 public:
  explicit scoped_check_mode(check_mode m) : old_(get_check_mode()) { set_check_mode(m); }
  ~scoped_check_mode() { set_check_mode(old_); }
  scoped_check_mode(const scoped_check_mode&) = delete;
  scoped_check_mode& operator=(const scoped_check_mode&) = delete;

 private:
  check_mode old_;
};

struct observation {
  std::string rule;               // catalogue id, e.g. "trace-host-mutation"
  std::string function;           // traced function's name
  std::string function_location;  // file:line where the tl::function was created
  std::string location;           // file:line of the offending operation, when known
  std::string entity;             // what it is about: a symbol, an argument, a variable
  std::string message;
  std::map<std::string, std::string> details;  // evidence: counts, values, the retrace diff
  std::uint64_t count = 1;                     // times observed (e.g. replays that skipped a write)
};

class hazard_error : public error {
 public:
  explicit hazard_error(observation o);
  const observation& observed() const { return observation_; }

 private:
  observation observation_;
};

// Observations so far in this process (a copy), and a reset for tests.
std::vector<observation> observations();
void clear_observations();
// Writes the JSON report now (TL_REPORT does this at exit, printing instead of throwing). A regular
// file is replaced atomically; a device, FIFO or /dev/stdout is written in place, never replaced.
// Throws tl::error naming the path and the system's reason when the report cannot be written.
void write_report(const std::string& path);

// Called for every new observation, on the observing thread, in every mode but off.
using hazard_listener = std::function<void(const observation&)>;
int add_hazard_listener(hazard_listener listener);
void remove_hazard_listener(int id);

}  // namespace tl
