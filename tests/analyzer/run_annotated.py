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


def main():
    tool, case = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    split = rest.index("--") if "--" in rest else len(rest)
    cmd = [tool, case, "--format=json", "--quiet"] + rest[:split] + rest[split:]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if proc.returncode not in (0, 1):
        print(f"tracelint exited {proc.returncode}\n{proc.stderr}", file=sys.stderr)
        return 1
    report = json.loads(proc.stdout)
    got = []
    for f in report["files"]:
        for d in f["diagnostics"]:
            kind = {1: "ERROR", 2: "WARN", 3: "NOTE"}[d["severity"]]
            got.append((d["range"]["start"]["line"] + 1, kind, d["code"], d["message"], unquote(f["uri"])))
            for r in d["relatedInformation"]:
                if unquote(r["location"]["uri"]).endswith(case.split("/")[-1]):
                    got.append((r["location"]["range"]["start"]["line"] + 1, "NOTE", "", r["message"], ""))
    failures = []
    unmatched = list(got)
    for lineno, kind, check, text in expectations(case):
        hit = next((g for g in unmatched if g[0] == lineno and g[1] == kind and (not check or g[2] == check) and text in g[3]), None)
        if hit:
            unmatched.remove(hit)
        else:
            failures.append(f"{case}:{lineno}: expected {kind}[{check}]: {text}")
    for g in unmatched:
        if g[1] == "NOTE":
            continue  # notes are checked only where annotated
        failures.append(f"{case}:{g[0]}: unexpected {g[1]}[{g[2]}]: {g[3]}")
    for f in failures:
        print(f, file=sys.stderr)
    if not failures:
        print(f"{case}: {len([g for g in got if g[2]])} findings, all expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
