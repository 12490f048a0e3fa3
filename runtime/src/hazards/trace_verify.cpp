#include "hazards/trace_verify.h"

#include <fcntl.h>
#include <omp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <map>
#include <sstream>

#include "core/format.h"
#include "core/observations.h"
#include "core/tensor_impl.h"

namespace tl::detail {

namespace {

bool same_attrs(const op_attrs& a, const op_attrs& b) {
  // rng: every trace starts fresh streams for its random ops; program: fused nodes come later.
  return a.ints == b.ints && a.ints2 == b.ints2 && a.axis == b.axis && a.keepdims == b.keepdims &&
         a.transpose_a == b.transpose_a && a.transpose_b == b.transpose_b &&
         std::memcmp(&a.scalar, &b.scalar, sizeof a.scalar) == 0 &&
         std::memcmp(&a.scalar2, &b.scalar2, sizeof a.scalar2) == 0 && a.seed == b.seed && a.to == b.to &&
         a.mode == b.mode && a.label == b.label && a.var == b.var;
}

bool same_payload(const node& a, const node& b) {
  if (a.attrs.data == b.attrs.data) return true;
  if (!a.attrs.data || !b.attrs.data || !(a.out == b.out)) return false;
  return std::memcmp(a.attrs.data->data, b.attrs.data->data, byte_size(a.out)) == 0;
}

std::string value_of(const node& n) {
  std::ostringstream os;
  if (n.kind == op_kind::constant) {
    format_values(os, n.attrs.data->data, n.out);
  } else if (n.kind == op_kind::fill) {
    os << n.attrs.scalar;
  } else {
    os << op_name(n.kind) << shape_string(n.attrs.ints);
    if (n.attrs.scalar != 0 || n.attrs.scalar2 != 0) os << " (" << n.attrs.scalar << ", " << n.attrs.scalar2 << ")";
  }
  return os.str();
}

}  // namespace

std::vector<observation> compare_traces(const graph& cached, const trace_state& fresh, const std::string& function,
                                        const std::string& function_location) {
  std::vector<observation> out;
  const auto& g = fresh.g;
  auto base = [&](int id) {
    observation o;
    o.rule = "trace-stale-capture";
    o.function = function;
    o.function_location = function_location;
    o.location = node_location(fresh, id);
    return o;
  };
  // Only live nodes count: an initializer recorded by a create-once guard on the first trace is dead
  // code that later traces rightly skip.
  auto live_ids = [](const graph& gr) {
    std::vector<int> ids;
    auto live = live_nodes(gr);
    for (std::size_t i = 0; i < gr.nodes.size(); ++i)
      if (live[i]) ids.push_back(static_cast<int>(i));
    return ids;
  };
  auto la = live_ids(cached), lb = live_ids(g);
  // Inputs as positions among the live nodes, so the two graphs' numbering does not matter.
  auto positions = [](const graph& gr, const std::vector<int>& ids, int id) {
    std::vector<int> out;
    for (int in : gr.nodes[static_cast<std::size_t>(id)].inputs)
      out.push_back(static_cast<int>(std::lower_bound(ids.begin(), ids.end(), in) - ids.begin()));
    return out;
  };
  // The first live node where the two traces take different paths: everything after it may differ.
  std::size_t common = std::min(la.size(), lb.size());
  for (std::size_t i = 0; i < common; ++i) {
    const auto& a = cached.nodes[static_cast<std::size_t>(la[i])];
    const auto& b = g.nodes[static_cast<std::size_t>(lb[i])];
    if (a.kind != b.kind || a.out.type != b.out.type || positions(cached, la, la[i]) != positions(g, lb, lb[i])) {
      common = i;
      break;
    }
  }
  auto output_positions = [](const graph& gr, const std::vector<int>& ids) {
    std::vector<int> out;
    for (int o : gr.outputs) out.push_back(static_cast<int>(std::lower_bound(ids.begin(), ids.end(), o) - ids.begin()));
    return out;
  };
  if (common < la.size() || common < lb.size() || output_positions(cached, la) != output_positions(g, lb)) {
    int at = lb.empty() ? 0 : lb[std::min(common, lb.size() - 1)];
    auto o = base(at);
    o.entity = "graph structure";
    o.details["verify"] = "structure";
    o.details["traced_nodes"] = std::to_string(la.size());
    o.details["current_nodes"] = std::to_string(lb.size());
    o.message = "tracing '" + function + "' again gives a different graph (" + std::to_string(la.size()) +
                " live nodes when cached, " + std::to_string(lb.size()) + " now" +
                (o.location.empty() ? "" : ", first difference at " + o.location) +
                "): the trace depends on host state that changed since, and the cached graph still follows the old "
                "path. Pass that state as an argument (a retrace per value) or as a tensor";
    out.push_back(std::move(o));
  }
  std::map<std::string, int> per_location;  // several constants of one statement get ordinals
  for (std::size_t i = 0; i < common; ++i) {
    const auto& a = cached.nodes[static_cast<std::size_t>(la[i])];
    const auto& b = g.nodes[static_cast<std::size_t>(lb[i])];
    bool payload_differs = a.kind == op_kind::constant && !same_payload(a, b);
    if (!payload_differs && same_attrs(a.attrs, b.attrs)) continue;
    auto o = base(lb[i]);
    int ordinal = ++per_location[o.location];
    o.entity = (o.location.empty() ? "constant" : "constant at " + o.location) +
               (ordinal > 1 ? " #" + std::to_string(ordinal) : "");
    o.details["verify"] = "constant";
    o.details["traced_value"] = value_of(a);
    o.details["current_value"] = value_of(b);
    o.message = "a host value baked into '" + function + "' as " + o.details["traced_value"] +
                (o.location.empty() ? "" : " (at " + o.location + ")") + " is " + o.details["current_value"] +
                " when traced again; the cached graph still uses " + o.details["traced_value"] +
                ". Pass it as a tensor argument or keep it in a tl::variable";
    out.push_back(std::move(o));
  }
  return out;
}

namespace {

// Observations cross from the verifying child to the program as length-prefixed strings.
void put(std::string& out, const std::string& s) { out += std::to_string(s.size()) + ":" + s; }

bool get(const std::string& in, std::size_t& at, std::string& s) {
  auto colon = in.find(':', at);
  if (colon == std::string::npos) return false;
  std::size_t n = std::strtoull(in.c_str() + at, nullptr, 10);
  if (colon + 1 + n > in.size()) return false;
  s = in.substr(colon + 1, n);
  at = colon + 1 + n;
  return true;
}

std::string serialize(const std::vector<observation>& all) {
  std::string out;
  put(out, std::to_string(all.size()));
  for (const auto& o : all) {
    for (const auto* f : {&o.rule, &o.function, &o.function_location, &o.location, &o.entity, &o.message}) put(out, *f);
    put(out, std::to_string(o.count));
    put(out, std::to_string(o.details.size()));
    for (const auto& [k, v] : o.details) {
      put(out, k);
      put(out, v);
    }
  }
  return out;
}

bool deserialize(const std::string& in, std::vector<observation>& all) {
  std::size_t at = 0;
  std::string n;
  if (!get(in, at, n)) return false;
  for (std::size_t i = std::strtoull(n.c_str(), nullptr, 10); i > 0; --i) {
    observation o;
    std::string count, details;
    for (auto* f : {&o.rule, &o.function, &o.function_location, &o.location, &o.entity, &o.message})
      if (!get(in, at, *f)) return false;
    if (!get(in, at, count) || !get(in, at, details)) return false;
    o.count = std::strtoull(count.c_str(), nullptr, 10);
    for (std::size_t d = std::strtoull(details.c_str(), nullptr, 10); d > 0; --d) {
      std::string k, v;
      if (!get(in, at, k) || !get(in, at, v)) return false;
      o.details[k] = v;
    }
    all.push_back(std::move(o));
  }
  return true;
}

// Long enough for any trace; reached only when the child waits for something no thread of it will
// ever do (a lock another thread of the program held when it was forked).
constexpr int kVerifySeconds = 300;

}  // namespace

std::vector<observation> contained_retrace(const std::function<std::vector<observation>()>& verify,
                                           const std::string& function, const std::string& function_location) {
  auto problem = [&](const std::string& what, const std::string& kind) {
    observation o;
    o.rule = "trace-stale-capture";
    o.function = function;
    o.function_location = function_location;
    o.entity = "graph structure";
    o.details["verify"] = kind;
    o.details["error"] = what;
    o.message = "tracing '" + function + "' again " + what +
                " where its first trace did not: the trace depends on host state that changed since, and the "
                "cached graph still follows the old path. Pass that state as an argument or as a tensor";
    return o;
  };
  // What the program wrote before goes out now, once, not again from the child's copy of the buffers.
  std::cout.flush();
  std::fflush(nullptr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return {problem("could not be verified (pipe: " + std::string(std::strerror(errno)) + ")", "unavailable")};
  pid_t child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return {problem("could not be verified (fork: " + std::string(std::strerror(errno)) + ")", "unavailable")};
  }
  if (child == 0) {
    // The child: a copy of the program in which the retrace's host code may write, print and throw
    // as it likes. Only its observations go back; it never runs the program's exit handlers.
    close(fds[0]);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    omp_set_num_threads(1);  // the program's OpenMP workers do not exist here
    std::vector<observation> found;
    collect_observations(&found);
    try {
      auto compared = verify();
      found.insert(found.end(), compared.begin(), compared.end());
    } catch (const hazard_error& e) {
      found.push_back(e.observed());
    } catch (const std::exception& e) {
      found.push_back(problem(std::string("threw (") + e.what() + ")", "error"));
    } catch (...) {
      found.push_back(problem("threw an exception of a type not derived from std::exception", "error"));
    }
    collect_observations(nullptr);
    std::string text = serialize(found);
    for (std::size_t done = 0; done < text.size();) {
      ssize_t n = write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0) _exit(3);
      done += static_cast<std::size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  bool finished = true;
  for (char buf[4096];;) {
    pollfd p{fds[0], POLLIN, 0};
    int ready = poll(&p, 1, kVerifySeconds * 1000);
    if (ready == 0) {
      finished = false;
      kill(child, SIGKILL);
      break;
    }
    if (ready < 0 && errno == EINTR) continue;
    ssize_t n = ready > 0 ? read(fds[0], buf, sizeof buf) : -1;
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  std::vector<observation> out;
  if (!finished)
    out.push_back(problem("did not finish in " + std::to_string(kVerifySeconds) +
                              " s (it may wait for a lock another thread held when verification started)",
                          "unfinished"));
  else if (WIFSIGNALED(status))
    out.push_back(problem(std::string("crashed (") + strsignal(WTERMSIG(status)) + ")", "crash"));
  else if (!deserialize(text, out))
    // A sanitizer turns a crash into an exit code of its own (ThreadSanitizer's 66).
    out.push_back(
        problem("crashed or exited without a result (exit code " + std::to_string(WEXITSTATUS(status)) + ")", "crash"));
  return out;
}

}  // namespace tl::detail
