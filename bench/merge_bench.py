#!/usr/bin/env python3
"""The cost of `tracelint merge` as the number of files grows (issue 21, docs/scale.md).

Generates synthetic code bases' summaries (one --export-summaries file per translation unit, as
the Bazel aspect writes them) and times `tracelint merge` over them. Summaries only: no results
files, so what is measured is reading, resolving the open calls, filtering, fingerprinting and
writing the report, not the analysis.

The shape of a generated file (seeded, so every run generates the same code base): 60 lines of
text; 6 helper functions, half of them writing a global; 2 API functions, each calling 3 helpers of
other files; one traced function whose region calls 4 API functions of other files (open calls).
Each open call resolves through 1 + 3 summaries, so a file brings about 6 cross-file findings.

    bench/merge_bench.py build/analyzer/tracelint 100 1000 5000 [--repeat 3] [--keep DIR]
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HELPERS, APIS, OPEN_CALLS, CALLS_PER_API, LINES = 6, 2, 4, 3, 60


def usr(f, kind, k):
    return f"c:@F@f{f}_{kind}{k}#"


def unit(root, f, n, rng):
    path = os.path.join(root, "src", f"file{f:05d}.cpp")
    lines = [f"// generated file {f}"] + [f"int line_{f}_{i} = {i};" for i in range(1, LINES)]
    functions = {}
    for k in range(HELPERS):
        writes = []
        if k % 2 == 0:
            writes.append({"Where": {"File": path, "Line": 10 + k, "Column": 3}, "Entity": f"g{f}_{k}",
                           "Shown": f"global 'g{f}_{k}'", "How": "written"})
        functions[usr(f, "helper", k)] = {"Name": f"f{f}_helper{k}", "Writes": writes, "Callees": []}
    for k in range(APIS):
        callees = [usr(rng.randrange(n), "helper", rng.randrange(HELPERS)) for _ in range(CALLS_PER_API)]
        functions[usr(f, "api", k)] = {"Name": f"f{f}_api{k}", "Writes": [], "Callees": callees}
    open_calls = []
    for k in range(OPEN_CALLS):
        g = rng.randrange(n)
        open_calls.append({
            "CalleeUsr": usr(g, "api", k % APIS), "CalleeName": f"f{g}_api{k % APIS}",
            "TracedFunction": f"step{f}", "TracedFunctionLocation": f"{path}:40",
            "Message": "{subject} while tracing '{function}'",
            "Notes": [{"Where": {"File": path, "Line": 41 + k, "Column": 5},
                       "Message": f"'f{g}_api{k % APIS}' (defined in another file) is called from 'step{f}'"},
                      {"Where": {"File": path, "Line": 40, "Column": 15}, "Message": f"'step{f}' is traced here"}]})
    return {"file": path, "realPath": path, "headerFilter": "", "warningsAsErrors": "",
            "summaries": {"Functions": functions, "OpenCalls": open_calls, "CaptureBegins": {}, "CaptureEnds": {},
                          "ExternalCallees": []},
            "sources": {path: "\n".join(lines) + "\n"}}


def generate(root, n):
    rng = random.Random(n)
    os.makedirs(os.path.join(root, "summaries"))
    paths = []
    for f in range(n):
        doc = {"format": "tracelint-summaries", "version": 1, "tool": "tracelint", "toolVersion": "bench",
               "lineFilter": "", "units": [unit(root, f, n, rng)]}
        p = os.path.join(root, "summaries", f"file{f:05d}.summaries.json")
        with open(p, "w") as out:
            json.dump(doc, out)
        paths.append(p)
    return paths


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tracelint")
    ap.add_argument("sizes", type=int, nargs="+")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", help="generate under this directory and keep it")
    args = ap.parse_args()
    print("| files | summaries (MB) | findings | merge, SARIF (s, median of %d) | max RSS (MB) |" % args.repeat)
    print("|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        root = os.path.join(args.keep, str(n)) if args.keep else tempfile.mkdtemp(prefix=f"tracelint-merge-{n}-")
        if os.path.exists(root):
            shutil.rmtree(root)
        try:
            paths = generate(root, n)
            size = sum(os.path.getsize(p) for p in paths) / 1e6
            report = os.path.join(root, "report.sarif")
            cmd = ["/usr/bin/time", "-f", "%M", args.tracelint, "merge", "--quiet", "--format=sarif",
                   "--output=" + report] + paths
            times, rss = [], []
            for _ in range(args.repeat):
                start = time.monotonic()
                done = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
                times.append(time.monotonic() - start)
                if done.returncode not in (0, 1):
                    sys.exit(f"merge of {n} files: exit {done.returncode}: {done.stderr}")
                rss.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
            findings = len(json.load(open(report))["runs"][0]["results"])
            print(f"| {n} | {size:.1f} | {findings} | {statistics.median(times):.2f} | {max(rss):.0f} |", flush=True)
        finally:
            if not args.keep:
                shutil.rmtree(root)


if __name__ == "__main__":
    main()
