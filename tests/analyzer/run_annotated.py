#!/usr/bin/env python3
"""Annotated analyzer tests: expectations sit on the lines they apply to.

    counter++;  // WARN[trace-host-mutation]: global 'counter' is incremented

A line may carry several WARN/ERROR annotations; "// NOTE: text" expects a note on that line.
Every finding tracelint reports must be expected, and every expectation must be reported.
Usage: run_annotated.py <tracelint> <case.cpp> [extra tracelint args] -- <compiler args>
"""
import json
import re
import subprocess
import sys
from urllib.parse import unquote

ANNOTATION = re.compile(r"//\s*(WARN|ERROR|NOTE)(?:\[([\w-]+)\])?:\s*(.*?)\s*(?=//\s*(?:WARN|ERROR|NOTE)|$)")


def expectations(path):
    exp = []
    for lineno, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
        for kind, check, text in ANNOTATION.findall(line):
            exp.append((lineno, kind, check, text))
    return exp


def findings(tool, case, args):
    """Runs tracelint on one file: its findings and related notes as (line, kind, check, message)."""
    split = args.index("--") if "--" in args else len(args)
    cmd = [tool, case, "--format=json", "--quiet"] + args[:split] + args[split:]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"tracelint exited {proc.returncode} on {case}\n{proc.stderr}")
    report = json.loads(proc.stdout)
    got = []
    for f in report["files"]:
        for d in f["diagnostics"]:
            kind = {1: "ERROR", 2: "WARN", 3: "NOTE"}[d["severity"]]
            got.append((d["range"]["start"]["line"] + 1, kind, d["code"], d["message"]))
            for r in d["relatedInformation"]:
                if unquote(r["location"]["uri"]).endswith(case.split("/")[-1]):
                    got.append((r["location"]["range"]["start"]["line"] + 1, "NOTE", "", r["message"]))
    return got


def match(expected, got):
    """Pairs expectations with findings: (matched [(expectation, finding)], missed expectations, unexpected findings)."""
    unmatched = list(got)
    matched, missed = [], []
    for lineno, kind, check, text in expected:
        hit = next((g for g in unmatched if g[0] == lineno and g[1] == kind and (not check or g[2] == check) and text in g[3]), None)
        if hit:
            unmatched.remove(hit)
            matched.append(((lineno, kind, check, text), hit))
        else:
            missed.append((lineno, kind, check, text))
    # Notes are checked only where annotated; a finding (it has a check) is always checked.
    return matched, missed, [g for g in unmatched if g[1] != "NOTE" or g[2]]


def main():
    tool, case = sys.argv[1], sys.argv[2]
    try:
        got = findings(tool, case, sys.argv[3:])
    except RuntimeError as e:
        print(e, file=sys.stderr)
        return 1
    _, missed, unexpected = match(expectations(case), got)
    failures = [f"{case}:{l}: expected {k}[{c}]: {t}" for l, k, c, t in missed]
    failures += [f"{case}:{g[0]}: unexpected {g[1]}[{g[2]}]: {g[3]}" for g in unexpected]
    for f in failures:
        print(f, file=sys.stderr)
    if not failures:
        print(f"{case}: {len([g for g in got if g[2]])} findings, all expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
