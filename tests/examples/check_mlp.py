#!/usr/bin/env python3
"""The MLP example learns, and its traced and eager runs print the same losses within 1e-4."""
import re
import subprocess
import sys

LOSS_BOUND = 0.05


def losses(args):
    out = subprocess.run(args, capture_output=True, text=True, timeout=300, check=True).stdout
    return [float(x) for x in re.findall(r"loss=([-0-9.e]+)", out)], out


traced, text = losses([sys.argv[1]])
eager, _ = losses([sys.argv[1], "--eager"])
print(text, end="")
if traced[-1] >= LOSS_BOUND:
    sys.exit(f"final loss {traced[-1]} is not below {LOSS_BOUND}")
if len(traced) != len(eager) or any(abs(a - b) > 1e-4 * max(1.0, abs(a)) for a, b in zip(traced, eager)):
    sys.exit(f"traced {traced} and eager {eager} losses differ")
