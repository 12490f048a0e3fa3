#!/usr/bin/env python3
"""Runs every program in the given directories under TL_CHECK_MODE=warn and TL_CHECK_MODE=verify
and fails unless each prints the same stdout and exits the same way in both modes: verify mode is a
test mode and must never change what a program does (docs/runtime.md, "Verify mode").

Usage: compare_check_modes.py DIR [DIR...]   (a missing or empty directory is skipped)
"""
import os
import subprocess
import sys

HANG_GUARD_SECONDS = 600  # turns a hang into a failure; the programs take about a second each


def run(program, mode):
    env = dict(os.environ)
    env["TL_CHECK_MODE"] = mode
    env.pop("TL_REPORT", None)
    env.pop("TL_VERIFY_EVERY", None)
    env.setdefault("OMP_NUM_THREADS", "1")
    try:
        done = subprocess.run([program], env=env, cwd=os.path.dirname(program), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=HANG_GUARD_SECONDS)
    except subprocess.TimeoutExpired:
        return None, b"", b"(did not finish)"
    return done.returncode, done.stdout, done.stderr


def programs(directory):
    if not os.path.isdir(directory):
        return []
    found = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            found.append(path)
    return found


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    all_programs = [p for d in argv[1:] for p in programs(os.path.abspath(d))]
    if not all_programs:
        print("no programs found in " + ", ".join(argv[1:]), file=sys.stderr)
        return 2
    differing = 0
    for program in all_programs:
        warn = run(program, "warn")
        verify = run(program, "verify")
        same = warn[0] is not None and warn[0] == verify[0] and warn[1] == verify[1]
        print(("same     " if same else "DIFFERS  ") + os.path.relpath(program))
        if same:
            continue
        differing += 1
        print("  exit code: warn %s, verify %s" % (warn[0], verify[0]))
        if warn[1] != verify[1]:
            w, v = warn[1].decode(errors="replace").splitlines(), verify[1].decode(errors="replace").splitlines()
            first = next((i for i in range(min(len(w), len(v))) if w[i] != v[i]), min(len(w), len(v)))
            print("  stdout differs at line %d:" % (first + 1))
            print("    warn:   %r" % (w[first] if first < len(w) else "<end of output>"))
            print("    verify: %r" % (v[first] if first < len(v) else "<end of output>"))
        if verify[2]:
            print("  verify stderr (last lines):")
            for line in verify[2].decode(errors="replace").splitlines()[-5:]:
                print("    " + line)
    print("%d of %d programs behave differently under verify" % (differing, len(all_programs)))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
