#!/usr/bin/env python3
"""Real-code accuracy set: materialize pinned third-party files, apply the seeded mutants, run tracelint,
score it against the ground truth written before any run (truth/*.json).

Nothing third-party is stored in the project: each file is read from the local git mirror that the
search tool's `fetch` leaves under /work/.mirror/<owner>+<name>/repo (`git show <commit>:<path>`), next to the
headers it needs from the same pinned commit (`support_paths`) or from another pinned repository
(`support_repos`). Declarations for libraries that are not installed (doctest, PyTorch, gtest, torchcomms)
and an empty stand-in for the header CUDA 13 dropped are written by this script into the work directory.

Usage:
  materialize_and_score.py --tracelint build/analyzer/tracelint [--work DIR] [--mirrors /work/.mirror]
      [--cuda-path /usr/local/cuda] [--only NAME ...] [--rule-alias TRUTH_ID=TOOL_ID ...]
      [--tracelint-arg ARG ...] [--report FILE.md] [--json FILE.json] [-v]
  materialize_and_score.py --materialize-only [--work DIR]     (no tracelint: check what can be materialized)

Scoring: a finding matches an expected entry when the rule is the same (after --rule-alias) and its line is
the entry's line or one of its alt_lines; each expected entry is matched once. Findings on `unscored`
entries (judgement calls written down before the run) count neither way. Every other finding is a false
positive, listed with the idiom when its line is one of the `silent` entries. Diagnostics that are not
tracelint rules (parse errors) are listed separately and not scored.
Exit code: 0 when the run completed (whatever the score), 2 on a usage error.
"""
import argparse
import collections
import glob
import json
import os
import shutil
import subprocess
import sys
from urllib.parse import unquote, urlparse

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------------------------------------
# Stand-in headers written at run time (our own declarations, not third-party code).
STUBS = {
    # CUDA 13 removed texture_fetch_functions.h, which Clang 19's CUDA wrapper header still includes.
    "cuda13/texture_fetch_functions.h": "// Empty: CUDA 13 no longer ships this header; Clang 19's CUDA wrapper includes it.\n",
    "doctest/doctest/doctest.h": r"""// Stand-in for doctest's test macros, for parsing test files without doctest itself.
#pragma once
#define TLRC_CAT_(a, b) a##b
#define TLRC_CAT(a, b) TLRC_CAT_(a, b)
namespace tlrc_doctest {
template <class A> void check(const A &);
template <class A, class B> void check_eq(const A &, const B &);
}  // namespace tlrc_doctest
#define TEST_CASE(...) static void TLRC_CAT(tlrc_test_case_, __LINE__)()
#define SUBCASE(...) if (true)
#define CHECK(...) ::tlrc_doctest::check(__VA_ARGS__)
#define CHECK_FALSE(...) ::tlrc_doctest::check(__VA_ARGS__)
#define REQUIRE(...) ::tlrc_doctest::check(__VA_ARGS__)
#define CHECK_EQ(a, b) ::tlrc_doctest::check_eq(a, b)
#define CHECK_NE(a, b) ::tlrc_doctest::check_eq(a, b)
#define CHECK_LT(a, b) ::tlrc_doctest::check_eq(a, b)
#define CHECK_GT(a, b) ::tlrc_doctest::check_eq(a, b)
#define REQUIRE_EQ(a, b) ::tlrc_doctest::check_eq(a, b)
#define CHECK_THROWS(...) do { try { (void)(__VA_ARGS__); } catch (...) {} } while (0)
#define CHECK_THROWS_AS(expr, ...) do { try { (void)(expr); } catch (...) {} } while (0)
""",
    "torch/tlrc_torch.h": r"""// Declarations standing in for the parts of PyTorch, GoogleTest and torchcomms that the pinned file
// uses. Signatures follow ATen/cuda/CUDAGraph.h, c10/cuda/CUDAStream.h, c10/cuda/CUDAGuard.h and gtest.h;
// bodies are left out.
#pragma once
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>
namespace c10 {
enum class DeviceType : int8_t { CPU = 0, CUDA = 1 };
namespace cuda {
enum class CaptureStatus : int { None = 0, Active = 1, Invalidated = 2 };
class CUDAStream {
 public:
  void synchronize() const;
};
CUDAStream getStreamFromPool(bool isHighPriority = false, int8_t device = -1);
CUDAStream getCurrentCUDAStream(int8_t device = -1);
void device_synchronize();
CaptureStatus currentStreamCaptureStatusMayInitCtx();
struct CUDAStreamGuard {
  explicit CUDAStreamGuard(CUDAStream stream);
  ~CUDAStreamGuard();
};
}  // namespace cuda
}  // namespace c10
namespace at {
class Tensor {
 public:
  template <class T> T item() const;
  Tensor cpu() const;
  Tensor &copy_(const Tensor &src, bool non_blocking = false) const;
};
namespace cuda {
using c10::cuda::CaptureStatus;
using c10::cuda::CUDAStream;
using c10::cuda::CUDAStreamGuard;
using c10::cuda::getStreamFromPool;
using c10::cuda::getCurrentCUDAStream;
struct MempoolId_t { uint64_t first = 0, second = 0; };
struct CUDAGraph {
  CUDAGraph(bool keep_graph = false);
  ~CUDAGraph();
  void capture_begin(MempoolId_t pool = {});
  void capture_end();
  void instantiate();
  void replay();
  void reset();
};
}  // namespace cuda
}  // namespace at
namespace torch {
using at::Tensor;
namespace cuda { void synchronize(int64_t device_index = -1); }
namespace comms {
class TorchComm {
 public:
  int getRank() const;
  int getSize() const;
};
}  // namespace comms
}  // namespace torch
class TorchCommTestWrapper {
 public:
  virtual ~TorchCommTestWrapper();
  std::shared_ptr<torch::comms::TorchComm> getTorchComm();
};
bool isRunningOnCPU();
namespace testing {
struct TlrcMessage { template <class T> TlrcMessage &operator<<(const T &); };
struct TlrcAssertHelper { void operator=(const TlrcMessage &) const; };
class Test {
 public:
  virtual ~Test();
 protected:
  virtual void SetUp();
  virtual void TearDown();
};
template <class T> class TestWithParam : public Test {
 public:
  const T &GetParam() const;
};
}  // namespace testing
#define GTEST_SKIP() return ::testing::TlrcAssertHelper() = ::testing::TlrcMessage()
""",
}
for _h in ("ATen/cuda/CUDAContext.h", "ATen/cuda/CUDAGraph.h", "c10/cuda/CUDAGuard.h", "gtest/gtest.h",
           "comms/torchcomms/tests/integration/cpp/TorchCommTestHelpers.h"):
    STUBS["torch/" + _h] = "#pragma once\n#include <tlrc_torch.h>\n"


def say(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------------------------------------------------
class Materializer:
    def __init__(self, mirrors, work):
        self.mirrors, self.work = mirrors, work
        self.done = {}

    def git_dir(self, repo):
        return os.path.join(self.mirrors, repo.replace("/", "+"), "repo")

    def problem(self, repo, commit):
        """None when the mirror has the commit, else a message naming what is missing."""
        gd = self.git_dir(repo)
        if not os.path.isdir(gd):
            return (f"missing mirror for {repo}: {gd} does not exist; bring it with the search tool's "
                    f"fetch (source github:{repo}) and run again")
        r = subprocess.run(["git", "--git-dir", gd, "cat-file", "-e", commit + "^{commit}"], capture_output=True)
        if r.returncode != 0:
            return f"the mirror of {repo} ({gd}) lacks the pinned commit {commit}: fetch a snapshot that contains it"
        return None

    def tree(self, repo, commit, paths):
        """Extracts paths (files or folders) of repo@commit into a directory; returns (dir, problem)."""
        key = (repo, commit)
        root = os.path.join(self.work, "src", repo.replace("/", "+") + "@" + commit[:12])
        prob = self.problem(repo, commit)
        if prob:
            return root, prob
        wanted = [p for p in paths if p not in self.done.get(key, set())]
        if wanted:
            gd = self.git_dir(repo)
            ls = subprocess.run(["git", "--git-dir", gd, "ls-tree", "-r", "--name-only", "-z", commit, "--"] + wanted,
                                capture_output=True)
            names = [n for n in ls.stdout.decode("utf-8", "replace").split("\0") if n]
            missing = [p for p in wanted if not any(n == p or n.startswith(p.rstrip("/") + "/") for n in names)]
            if missing:
                return root, f"{repo}@{commit[:12]} has no {', '.join(missing)}"
            for n in names:
                dst = os.path.join(root, n)
                if os.path.exists(dst):
                    continue
                blob = subprocess.run(["git", "--git-dir", gd, "cat-file", "blob", f"{commit}:{n}"], capture_output=True)
                if blob.returncode != 0:  # large files are absent from snapshots; headers never are
                    continue
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                with open(dst, "wb") as f:
                    f.write(blob.stdout)
            self.done.setdefault(key, set()).update(wanted)
        return root, None


def write_stubs(work):
    d = os.path.join(work, "stubs")
    for rel, text in STUBS.items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
    return d


def load_cases(only):
    cases = []
    for p in sorted(glob.glob(os.path.join(HERE, "truth", "*.json"))):
        name = os.path.basename(p)[:-5]
        with open(p) as f:
            t = json.load(f)
        t["name"] = name
        base = t.get("mutant_of", name)
        if only and name not in only and base not in only:
            continue
        cases.append(t)
    return cases


def prepare(case, mat, stubs, cuda):
    """Materializes one case; returns (file to analyze, compiler args, problem)."""
    root, prob = mat.tree(case["repo"], case["commit"], [case["path"]] + case.get("support_paths", []))
    if prob:
        return None, None, prob
    subst = {"{root}": root, "{stubs}": stubs, "{cuda}": cuda}
    for sr in case.get("support_repos", []):
        sroot, sprob = mat.tree(sr["repo"], sr["commit"], sr["paths"])
        if sprob:
            return None, None, sprob
        subst["{support:%s}" % sr["name"]] = sroot
    args = []
    for a in case["compile_args"]:
        for k, v in subst.items():
            a = a.replace(k, v)
        args.append(a)
    src = os.path.join(root, case["path"])
    if "patch" in case:
        mdir = os.path.join(mat.work, "mutants", case["name"])
        shutil.rmtree(mdir, ignore_errors=True)
        dst = os.path.join(mdir, case["path"])
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
        if shutil.which("patch") is None:
            return None, None, "GNU patch is not installed (apt-get install patch)"
        r = subprocess.run(["patch", "-p1", "--no-backup-if-mismatch", "-s", "-d", mdir, "-i",
                            os.path.join(HERE, case["patch"])], capture_output=True, text=True)
        if r.returncode != 0:
            return None, None, f"patch {case['patch']} does not apply: {r.stdout}{r.stderr}"
        src = dst
    return src, args, None


def run_tracelint(tool, src, args, extra):
    cmd = [tool, src, "--format=json", "--quiet"] + extra + ["--"] + args
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        return None, "tracelint timed out after 900 s"
    if proc.returncode not in (0, 1):
        return None, f"tracelint exited {proc.returncode}: {proc.stderr.strip()[-2000:]}"
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        return None, f"tracelint printed no JSON ({e}): {proc.stdout[:500]} {proc.stderr[-1000:]}"
    found = []
    for f in report.get("files", []):
        uri = f.get("uri") or f.get("file") or f.get("path") or ""
        fpath = unquote(urlparse(uri).path) if "://" in uri else uri
        for d in f.get("diagnostics", []):
            line = d["range"]["start"]["line"] + 1
            code = str(d.get("code", ""))
            here = os.path.realpath(fpath) == os.path.realpath(src) if fpath else True
            found.append({"line": line, "rule": code, "message": d.get("message", ""), "in_file": here,
                          "file": fpath})
    return found, None


def score(case, found, alias):
    rule_of = lambda r: alias.get(r, r)
    exp = [dict(x, rule=rule_of(x["rule"])) for x in case["expected"]]
    uns = [dict(x, rule=rule_of(x["rule"])) for x in case.get("unscored", [])]
    silent = {x["line"]: x for x in case.get("silent", [])}
    findings = [f for f in found if f["rule"].startswith("trace-")]
    others = [f for f in found if not f["rule"].startswith("trace-")]
    tp, fp, fn, skipped = [], [], [], []
    left = list(findings)

    def take(entry):
        lines = [entry["line"]] + entry.get("alt_lines", [])
        for ln in lines:
            for f in left:
                if f["in_file"] and f["rule"] == entry["rule"] and f["line"] == ln:
                    left.remove(f)
                    return f
        return None

    for x in exp:
        f = take(x)
        (tp if f else fn).append((x, f))
    for x in uns:
        f = take(x)
        if f:
            skipped.append((x, f))
    for f in left:
        fp.append((f, silent.get(f["line"]) if f["in_file"] else None))
    return tp, fp, fn, skipped, others


def ratio(a, b):
    return a / b if b else float("nan")


def fmt(x):
    return "  n/a" if x != x else f"{x:6.1%}"


def table(counter_rows, title):
    lines = [f"### {title}", "", "| | TP | FP | FN | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for key, (t, p, n) in counter_rows:
        lines.append(f"| {key} | {t} | {p} | {n} | {fmt(ratio(t, t + p))} | {fmt(ratio(t, t + n))} |")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tracelint", help="the tracelint binary to score")
    ap.add_argument("--mirrors", default=os.environ.get("TL_MIRRORS", "/work/.mirror"))
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "tracelint-realcode"))
    ap.add_argument("--cuda-path", default=os.environ.get("CUDA_PATH", "/usr/local/cuda"))
    ap.add_argument("--only", nargs="*", default=[], help="case names (a base name selects its mutants too)")
    ap.add_argument("--rule-alias", action="append", default=[], metavar="TRUTH=TOOL",
                    help="score truth rule TRUTH as the tool's rule id TOOL (for rules not yet named in the catalogue)")
    ap.add_argument("--tracelint-arg", action="append", default=[], help="extra tracelint option (repeatable)")
    ap.add_argument("--materialize-only", action="store_true")
    ap.add_argument("--report", help="write the score as Markdown")
    ap.add_argument("--json", help="write every finding and verdict as JSON")
    ap.add_argument("-v", "--verbose", action="store_true")
    o = ap.parse_args()
    if not o.materialize_only and not o.tracelint:
        ap.error("--tracelint PATH is required (or --materialize-only)")
    if o.tracelint and not (os.path.isfile(o.tracelint) and os.access(o.tracelint, os.X_OK)):
        say(f"no tracelint binary at {o.tracelint}")
        return 2
    alias = dict(a.split("=", 1) for a in o.rule_alias if "=" in a)
    os.makedirs(o.work, exist_ok=True)
    stubs = write_stubs(o.work)
    mat = Materializer(o.mirrors, o.work)
    cases = load_cases(set(o.only))
    if not cases:
        say("no truth files selected")
        return 2
    if not os.path.isdir(o.cuda_path) and any(c["api"] == "cuda" for c in cases):
        say(f"note: no CUDA toolkit at {o.cuda_path} (--cuda-path): the CUDA cases will not parse")

    results, unavailable = [], []
    for c in cases:
        src, args, prob = prepare(c, mat, stubs, o.cuda_path)
        if prob:
            unavailable.append((c["name"], prob))
            say(f"skipped {c['name']}: {prob}")
            continue
        if o.materialize_only:
            say(f"ready   {c['name']}: {src}")
            continue
        found, err = run_tracelint(o.tracelint, src, args, o.tracelint_arg)
        if err:
            say(f"error   {c['name']}: {err}")
            found = []
        tp, fp, fn, skipped, others = score(c, found, alias)
        results.append(dict(case=c, src=src, tp=tp, fp=fp, fn=fn, skipped=skipped, others=others, error=err))
        if o.verbose:
            say(f"scored  {c['name']}: TP {len(tp)} FP {len(fp)} FN {len(fn)}")
    if o.materialize_only:
        return 0
    if not results:
        say("nothing was scored")
        return 0

    by_api, by_rule, by_kind = (collections.defaultdict(lambda: [0, 0, 0]) for _ in range(3))
    for r in results:
        api = r["case"]["api"]
        kind = "mutants" if "mutant_of" in r["case"] else "base files"
        for x, _ in r["tp"]:
            for k in (by_api[api], by_rule[x["rule"]], by_kind[kind]):
                k[0] += 1
        for f, _ in r["fp"]:
            for k in (by_api[api], by_rule[f["rule"]], by_kind[kind]):
                k[1] += 1
        for x, _ in r["fn"]:
            for k in (by_api[api], by_rule[x["rule"]], by_kind[kind]):
                k[2] += 1
    tot = [sum(v[i] for v in by_api.values()) for i in range(3)]
    out = ["## Real-code accuracy set", "",
           f"{len(results)} cases scored ({sum(1 for r in results if 'mutant_of' not in r['case'])} pinned files, "
           f"{sum(1 for r in results if 'mutant_of' in r['case'])} mutants); {len(unavailable)} unavailable.", ""]
    out += table([("overall", tot)], "Overall") + [""]
    out += table(sorted(by_kind.items()), "Base files and mutants") + [""]
    out += table(sorted(by_api.items()), "Per API") + [""]
    out += table(sorted(by_rule.items()), "Per rule") + [""]
    det = [(r["case"]["name"], any(x.get("mutant") for x, _ in r["tp"])) for r in results if "mutant_of" in r["case"]]
    if det:
        out += [f"Mutants whose seeded bug was found: {sum(1 for _, d in det if d)} of {len(det)}.", ""]
    out += ["### False positives", ""]
    n = 0
    for r in results:
        for f, sil in r["fp"]:
            n += 1
            where = f"{r['case']['name']}:{f['line']}" if f["in_file"] else f"{r['case']['name']} (in {f['file']}:{f['line']})"
            idiom = f" — silent idiom: {sil['idiom']}" if sil else ""
            out.append(f"- {where} [{f['rule']}] {f['message'][:220]}{idiom}")
    if not n:
        out.append("- none")
    out += ["", "### Misses", ""]
    n = 0
    for r in results:
        for x, _ in r["fn"]:
            n += 1
            tag = " (seeded)" if x.get("mutant") else ""
            out.append(f"- {r['case']['name']}:{x['line']} [{x['rule']}]{tag} {x['why'][:220]}")
    if not n:
        out.append("- none")
    sk = [(r["case"]["name"], x, f) for r in results for x, f in r["skipped"]]
    if sk:
        out += ["", "### Findings on unscored lines (judgement calls, not counted)", ""]
        out += [f"- {name}:{f['line']} [{f['rule']}] {f['message'][:160]}" for name, x, f in sk]
    errs = [(r["case"]["name"], r["error"]) for r in results if r["error"]]
    parse = [(r["case"]["name"], f) for r in results for f in r["others"]]
    if errs or parse or unavailable:
        out += ["", "### Tool errors, non-rule diagnostics and unavailable cases", ""]
        out += [f"- {name}: {e[:300]}" for name, e in errs]
        out += [f"- {name}:{f['line']} [{f['rule'] or 'diagnostic'}] {f['message'][:200]}" for name, f in parse]
        out += [f"- {name}: unavailable: {p}" for name, p in unavailable]
    text = "\n".join(out) + "\n"
    print(text)
    if o.report:
        with open(o.report, "w") as f:
            f.write(text)
    if o.json:
        dump = []
        for r in results:
            dump.append({"case": r["case"]["name"], "api": r["case"]["api"], "file": r["src"], "error": r["error"],
                         "tp": [dict(x, finding=f) for x, f in r["tp"]], "fn": [x for x, _ in r["fn"]],
                         "fp": [dict(f, silent_idiom=(s or {}).get("idiom")) for f, s in r["fp"]],
                         "unscored_hits": [dict(x, finding=f) for x, f in r["skipped"]], "other_diagnostics": r["others"]})
        with open(o.json, "w") as f:
            json.dump(dump, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
