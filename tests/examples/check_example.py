#!/usr/bin/env python3
"""Runs one example and checks the behaviour its header comment promises ("// Expect: k=v ...").

Values are compared as numbers within 1e-4; "loss stays constant" and "loss decreases" are checked
over the printed loss lines.
"""
import re
import subprocess
import sys


def main():
    binary, source = sys.argv[1], sys.argv[2]
    expect = None
    for line in open(source):
        m = re.match(r"//\s*Expect:\s*(.*)", line)
        if m:
            expect = m.group(1)
            break
    if expect is None:
        print(f"{source}: no '// Expect:' line", file=sys.stderr)
        return 2
    out = subprocess.run([binary], capture_output=True, text=True, timeout=120)
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
