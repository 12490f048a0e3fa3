#!/usr/bin/env python3
"""Runs one example and checks what its header comment promises.

"// Expect: k=v ...": values printed by the program, compared as numbers within 1e-4; "loss stays
constant" and "loss decreases" are checked over the printed loss lines.
"// Hazards: rule, ..." (or none): the runtime's observations, exactly, through the JSON report in
warn mode; and in assert mode, the first hazard is raised and is one of them (none for a clean
example, which must then run normally).
With --hazards-only the Expect line is not checked.
"""
import json
import os
import re
import subprocess
import sys
import tempfile


def run_with_report(binary, mode):
    with tempfile.TemporaryDirectory() as d:
        report = os.path.join(d, "report.json")
        env = dict(os.environ, TL_REPORT=report, TL_CHECK_MODE=mode)
        proc = subprocess.run([binary], capture_output=True, text=True, timeout=300, env=env)
        if not os.path.exists(report):
            return proc, None
        with open(report) as f:
            return proc, json.load(f)


def check_hazards(binary, expected):
    proc, report = run_with_report(binary, "warn")
    if report is None:
        print("warn mode: no report written", file=sys.stderr)
        return False
    got = sorted({o["rule"] for o in report["observations"]})
    if got != sorted(expected):
        print(f"warn mode: observed {got}, expected {sorted(expected)}", file=sys.stderr)
        for o in report["observations"]:
            print(f"  [{o['rule']}] {o['message']}", file=sys.stderr)
        return False
    proc, report = run_with_report(binary, "assert")
    rules = {o["rule"] for o in (report or {"observations": []})["observations"]}
    if not expected:
        if proc.returncode != 0 or rules:
            print(f"assert mode: clean example failed (exit {proc.returncode}, {sorted(rules)})\n{proc.stderr}",
                  file=sys.stderr)
            return False
    elif not rules or not rules <= set(expected):
        print(f"assert mode: expected one of {expected} raised, got {sorted(rules)} (exit {proc.returncode})",
              file=sys.stderr)
        return False
    elif proc.returncode == 0 and "hazard" not in proc.stderr and "error:" not in proc.stdout:
        print("assert mode: the hazard was observed but nothing was raised", file=sys.stderr)
        return False
    return True


def main():
    binary, source = sys.argv[1], sys.argv[2]
    expect = hazards = None
    for line in open(source):
        m = re.match(r"//\s*Expect:\s*(.*)", line)
        if m and expect is None:
            expect = m.group(1)
        m = re.match(r"//\s*Hazards:\s*(.*)", line)
        if m and hazards is None:
            hazards = [] if m.group(1).strip() == "none" else [r.strip() for r in m.group(1).split(",")]
    if hazards is None:
        print(f"{source}: no '// Hazards:' line", file=sys.stderr)
        return 2
    if not check_hazards(binary, hazards):
        return 1
    if "--hazards-only" in sys.argv:
        return 0
    if expect is None:
        print(f"{source}: no '// Expect:' line", file=sys.stderr)
        return 2
    out = subprocess.run([binary], capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, TL_CHECK_MODE="off"))
    if out.returncode != 0:
        print(out.stdout + out.stderr, file=sys.stderr)
        return 1
    text = out.stdout
    losses = [float(x) for x in re.findall(r"loss=([-0-9.e]+)", text)]
    if expect.startswith("loss stays constant"):
        ok = len(losses) >= 2 and max(losses) - min(losses) < 1e-6
    elif expect.startswith("loss decreases"):
        ok = len(losses) >= 2 and all(b < a for a, b in zip(losses, losses[1:]))
    else:
        got = dict(re.findall(r"(\w+)=([-0-9.e]+)", text))
        ok = True
        for key, value in re.findall(r"(\w+)=([-0-9.e]+)", expect):
            if key not in got or abs(float(got[key]) - float(value)) > 1e-4:
                print(f"expected {key}={value}, got {got.get(key)}", file=sys.stderr)
                ok = False
    if not ok:
        print(f"expected: {expect}\noutput:\n{text}", file=sys.stderr)
        return 1
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
