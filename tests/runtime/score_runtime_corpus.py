#!/usr/bin/env python3
"""Precision and recall of the runtime's observations on the analyzer's ported corpus.

Each corpus program (tests/analyzer/corpus/*.cpp, annotated like the analyzer cases with the rule
tf.function's semantics make on each line) is built against the runtime and run with TL_REPORT.
An observation is placed by its `location` (file:line). For the rules the runtime detects, an
observation of rule R on a line annotated R is a true positive; an annotation no observation placed
is a miss; an observation nobody annotated, or without a line in the program's file, is false.
A program whose header says `// Runtime: verify` runs in verify mode (TL_CHECK_MODE=verify).

With --tracelint, a hazard is also placed by the lines its static finding names as related: the
runtime sees a stale capture where the trace read the value or where a replay used it, the analyzer
reports it where the value changed and names the read and the replay in its notes; an observation
on any of these lines is about the same hazard; and `tracelint confirm`, given the static report and
the runtime's, must confirm every hazard both halves see (the test fails otherwise).
Usage: score_runtime_corpus.py <dir of corpus binaries> <corpus dir> [--min-overall X] [--min-rule Y] [-v]
                               [--tracelint <tracelint> -- <compiler args>]
"""
import argparse
import collections
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from urllib.parse import unquote

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "analyzer"))
from run_annotated import expectations  # noqa: E402

# The rules the runtime observes: the catalogue says so ("runtime_observes").
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "rules", "catalogue.json")) as _f:
    RUNTIME_RULES = {r["id"] for r in json.load(_f)["rules"] if r.get("runtime_observes")}


def observations(binary, verify, report):
    env = dict(os.environ, TL_REPORT=report, TL_CHECK_MODE="verify" if verify else "warn")
    subprocess.run([binary], capture_output=True, text=True, timeout=300, env=env)
    if not os.path.exists(report):
        raise RuntimeError(f"{binary} wrote no report")
    with open(report) as f:
        return json.load(f)["observations"]


def static_report(tool, source, compiler_args, path):
    """Runs tracelint on `source` once, writing its JSON report to `path`; returns the report."""
    cmd = [tool, source, "--format=json", "--quiet", "--"] + compiler_args
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"tracelint exited {proc.returncode} on {source}\n{proc.stderr}")
    with open(path, "w") as f:
        f.write(proc.stdout)
    return json.loads(proc.stdout)


def related_lines(report, files):
    """(file name, line, rule) of each static finding -> the (file name, line) of its related notes in files."""
    names = {os.path.basename(f) for f in files}
    related = collections.defaultdict(set)
    for f in report["files"]:
        for d in f["diagnostics"]:
            key = (os.path.basename(unquote(f["uri"])), d["range"]["start"]["line"] + 1, d["code"])
            for r in d.get("relatedInformation", []):
                name = os.path.basename(unquote(r["location"]["uri"]))
                if name in names:
                    related[key].add((name, r["location"]["range"]["start"]["line"] + 1))
    return related


def unconfirmed(tool, source, static, runtime_report, hazards):
    """The placed hazards (line, rule) whose static finding `tracelint confirm` does not confirm."""
    proc = subprocess.run([tool, "confirm", "--static", static, "--dynamic", runtime_report, "--format=json"],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"tracelint confirm exited {proc.returncode} on {source}\n{proc.stderr}")
    confirmed = {(s["line"], s["rule"]) for s in json.loads(proc.stdout)["static"] if s["status"] == "confirmed"}
    return sorted(h for h in hazards if h not in confirmed)


def local_headers(source):
    """The headers beside source that it includes with quotes (a program's own helpers)."""
    found = []
    for text in open(source, encoding="utf-8", errors="replace"):
        m = re.match(r'\s*#\s*include\s+"([^"]+)"', text)
        if m and os.path.exists(os.path.join(os.path.dirname(source), m.group(1))):
            found.append(os.path.join(os.path.dirname(source), m.group(1)))
    return found


def place_in(location, files):
    """(file name, line) of an observation's location when it lies in one of files, else None."""
    path, _, line = location.rpartition(":")
    names = {os.path.basename(f) for f in files}
    if not path or not line.isdigit() or os.path.basename(path) not in names:
        return None
    return os.path.basename(path), int(line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bindir")
    parser.add_argument("corpus")
    parser.add_argument("--min-overall", type=float, default=0.9)
    parser.add_argument("--min-rule", type=float, default=0.0)
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--tracelint", help="place hazards by their static findings' related lines too")
    parser.add_argument("--mode", choices=["warn", "verify"],
                        help="run every program in this mode (default: warn, verify where the header says so)")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    opts = parser.parse_args(argv[:split])
    compiler_args = argv[split + 1:]
    tp, fn, fp = collections.Counter(), collections.Counter(), collections.Counter()
    details = []
    not_confirmed = []
    for source in sorted(glob.glob(os.path.join(opts.corpus, "*.cpp"))):
        stem = os.path.splitext(os.path.basename(source))[0]
        # Built as corpus_<stem> or, for another set, <set>_<stem> (tests/runtime/CMakeLists.txt).
        binary = os.path.join(opts.bindir, "corpus_" + stem)
        if not os.path.exists(binary):
            binary = os.path.join(opts.bindir, os.path.basename(os.path.normpath(opts.bindir)) + "_" + stem)
        verify = "// Runtime: verify" in open(source, encoding="utf-8", errors="replace").read()
        if opts.mode:
            verify = opts.mode == "verify"
        files = [source] + local_headers(source)
        expected = {(os.path.basename(f), line, check) for f in files for line, kind, check, _ in expectations(f)
                    if check in RUNTIME_RULES}
        workdir = tempfile.mkdtemp()
        report = os.path.join(workdir, "report.json")
        static = os.path.join(workdir, "static.json")
        related = {}
        if opts.tracelint:
            related = related_lines(static_report(opts.tracelint, source, compiler_args, static), files)
        # (file, line, rule) an observation may sit on -> the expectations it places.
        accepts = collections.defaultdict(set)
        for name, line, rule in expected:
            for at_name, at_line in {(name, line)} | related.get((name, line, rule), set()):
                accepts[(at_name, at_line, rule)].add((name, line, rule))
        placed = set()
        for o in observations(binary, verify, report):
            at = place_in(o.get("location", ""), files)
            if at is None or (*at, o["rule"]) not in accepts:
                fp[o["rule"]] += 1
                details.append(f"{stem}: false: [{o['rule']}] at {o.get('location') or '<no line>'}: {o['message']}")
            else:
                placed |= accepts[(*at, o["rule"])]
        if opts.tracelint:
            # Every hazard both halves see must join in `tracelint confirm`.
            in_source = {(line, rule) for name, line, rule in placed if name == os.path.basename(source)}
            for line, rule in unconfirmed(opts.tracelint, source, static, report, in_source):
                not_confirmed.append(f"{stem}:{line}: [{rule}] observed at run time but not confirmed by tracelint confirm")
        shutil.rmtree(workdir, ignore_errors=True)
        for name, line, rule in sorted(expected):
            if (name, line, rule) in placed:
                tp[rule] += 1
            else:
                fn[rule] += 1
                details.append(f"{stem}: {name}:{line}: missed [{rule}]")
    ratio = lambda a, b: a / b if b else 1.0
    failed = False
    print(f"{'rule':28} {'TP':>4} {'FN':>4} {'FP':>4} {'precision':>10} {'recall':>8}")
    for rule in sorted(set(tp) | set(fn) | set(fp)):
        p, r = ratio(tp[rule], tp[rule] + fp[rule]), ratio(tp[rule], tp[rule] + fn[rule])
        print(f"{rule:28} {tp[rule]:4} {fn[rule]:4} {fp[rule]:4} {p:10.1%} {r:8.1%}")
        failed |= min(p, r) < opts.min_rule
    T, N, F = sum(tp.values()), sum(fn.values()), sum(fp.values())
    p, r = ratio(T, T + F), ratio(T, T + N)
    print(f"{'overall':28} {T:4} {N:4} {F:4} {p:10.1%} {r:8.1%}")
    failed |= min(p, r) < opts.min_overall
    if opts.tracelint:
        print(f"confirm: {T - len(not_confirmed)} of {T} hazards seen by both halves confirmed")
        details += not_confirmed
        failed |= bool(not_confirmed)
    if opts.verbose or failed:
        print("\n".join(details))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
