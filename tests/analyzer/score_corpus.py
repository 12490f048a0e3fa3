#!/usr/bin/env python3
"""Precision and recall of tracelint on annotated files: the ported corpus (tests/analyzer/corpus/*.cpp)
and the API packs' cases (tests/analyzer/packs/<pack>/*.cpp, *.cu, *.hip).

Each corpus file is a small program annotated like the cases (run_annotated.py's format): every
line where tf.function's semantics make a hazard carries the rule expected there, every other line
is a clean negative. A finding on an annotated line of its rule is a true positive; an annotation
without its finding is a miss; a finding nobody annotated is a false finding.
Prints precision and recall per rule and overall, and fails when either is below --min-overall
overall (default 0.95) or --min-rule for any rule that has expectations or findings (default 0.90).
With --by-place (sets written by others, whose annotation texts are free prose), an annotation is
matched by file, line and rule alone, and the annotations of the local headers a file includes
("aNN_helpers.h") count too, as do the findings in them: a hazard reached in a header is expected
where its author placed it.
Usage: score_corpus.py <tracelint> <corpus dir> [--min-overall X] [--min-rule Y] [--label NAME] [--by-place] [-v]
                       -- <compiler args>
"""
import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys
from urllib.parse import unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_annotated import expectations, findings, match  # noqa: E402


def ratio(num, den):
    return num / den if den else 1.0


def local_files(path):
    """path and the local headers it includes."""
    files = [path]
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
        if m and os.path.exists(os.path.join(os.path.dirname(path), m.group(1))):
            files.append(os.path.join(os.path.dirname(path), m.group(1)))
    return files


def places_expected(path):
    """(file name, line, rule) of the annotations in path and in the local headers it includes."""
    return [(os.path.basename(f), line, check) for f in local_files(path) for line, _, check, _ in expectations(f) if check]


def places_limited(path):
    """(file name, line, rule) of lines marked `// limit[rule]`: real hazards the rule page lists as a
    known limit. A finding there is neither expected nor false (the set's authors' convention)."""
    out = set()
    for f in local_files(path):
        for number, line in enumerate(open(f, encoding="utf-8", errors="replace"), 1):
            for rule in re.findall(r"//\s*limit\[([\w-]+)\]", line):
                out.add((os.path.basename(f), number, rule))
    return out


def places_found(tool, path, compiler_args):
    """(file name, line, rule, message) of every finding tracelint reports for path, in any file."""
    proc = subprocess.run([tool, path, "--format=json", "--quiet"] + compiler_args, capture_output=True, text=True,
                          timeout=300)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"tracelint exited {proc.returncode} on {path}\n{proc.stderr}")
    found = []
    for f in json.loads(proc.stdout)["files"]:
        for d in f["diagnostics"]:
            # A hazard reached in a header is reported at the main file's call; its first note is
            # the header line, where a reader of the header would expect it.
            origin = None
            related = d.get("relatedInformation", [])
            if related and related[0]["message"].startswith("the hazard itself"):
                loc = related[0]["location"]
                origin = (os.path.basename(unquote(loc["uri"])), loc["range"]["start"]["line"] + 1)
            found.append((os.path.basename(unquote(f["uri"])), d["range"]["start"]["line"] + 1, d["code"], d["message"],
                          origin))
    return found


def main():
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser()
    parser.add_argument("tool")
    parser.add_argument("corpus")
    parser.add_argument("--min-overall", type=float, default=0.95)
    parser.add_argument("--min-rule", type=float, default=0.90)
    parser.add_argument("--label", default="", help="printed above the table (the pack scored)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and false finding")
    parser.add_argument("--by-place", action="store_true", help="match by file, line and rule only")
    opts = parser.parse_args(argv[:split])
    compiler_args = argv[split:]

    tp, fn, fp = collections.Counter(), collections.Counter(), collections.Counter()
    details = []
    files = sorted(f for ext in ("cpp", "cu", "hip") for f in glob.glob(os.path.join(opts.corpus, "*." + ext)))
    if not files:
        print(f"no corpus files in {opts.corpus}", file=sys.stderr)
        return 1
    for path in files:
        if opts.by_place:
            try:
                got = places_found(opts.tool, path, compiler_args)
            except RuntimeError as e:
                print(e, file=sys.stderr)
                return 1
            left = list(got)
            for name, line, check in places_expected(path):
                hit = next((g for g in left if g[:3] == (name, line, check) or (g[4] == (name, line) and g[2] == check)),
                           None)
                if hit:
                    left.remove(hit)
                    tp[check] += 1
                else:
                    fn[check] += 1
                    details.append(f"missed  {name}:{line}: [{check}]")
            limited = places_limited(path)
            for name, line, check, message, _ in left:
                if (name, line, check) in limited:
                    details.append(f"limit   {name}:{line}: [{check}] found, though the rule page lists it as a limit")
                    continue
                fp[check] += 1
                details.append(f"false   {name}:{line}: [{check}]: {message}")
            continue
        expected = [e for e in expectations(path) if e[2]]  # scored: annotations that name a rule
        try:
            got = findings(opts.tool, path, compiler_args)
        except RuntimeError as e:
            print(e, file=sys.stderr)
            return 1
        matched, missed, unexpected = match(expected, [g for g in got if g[2]])
        name = os.path.basename(path)
        for (_, _, check, _), _ in matched:
            tp[check] += 1
        for line, kind, check, text in missed:
            fn[check] += 1
            details.append(f"missed  {name}:{line}: {kind}[{check}]: {text}")
        for line, kind, check, message in unexpected:
            fp[check] += 1
            details.append(f"false   {name}:{line}: {kind}[{check}]: {message}")

    rules = sorted(set(tp) | set(fn) | set(fp))
    failed = []
    if opts.label:
        print(opts.label)
    print(f"{'rule':26} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
    for rule in rules:
        p, r = ratio(tp[rule], tp[rule] + fp[rule]), ratio(tp[rule], tp[rule] + fn[rule])
        print(f"{rule:26} {tp[rule]:4} {fp[rule]:4} {fn[rule]:4} {p:10.1%} {r:8.1%}")
        if p < opts.min_rule or r < opts.min_rule:
            failed.append(f"{rule} below {opts.min_rule:.0%}")
    T, P, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    p, r = ratio(T, T + P), ratio(T, T + N)
    print(f"{'overall':26} {T:4} {P:4} {N:4} {p:10.1%} {r:8.1%}  ({len(files)} files)")
    if p < opts.min_overall or r < opts.min_overall:
        failed.append(f"overall below {opts.min_overall:.0%}")
    if opts.verbose or failed:
        for d in details:
            print(d)
    for f in failed:
        print(f"FAIL: {f}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
