#!/usr/bin/env python3
"""Every output format against its golden file. Paths are normalized to <src> so goldens do not
depend on the checkout location. --update rewrites the goldens.
Usage: run_golden.py <tracelint> <source root> [--update]"""
import pathlib
import subprocess
import sys

tool, src = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
update = "--update" in sys.argv
golden = src / "tests/analyzer/golden"
case = golden / "case.cpp"
failed = False
for fmt, ext in (("text", "txt"), ("json", "json"), ("sarif", "sarif")):
    cmd = [tool, str(case), f"--format={fmt}", "--quiet", "--use-color=false", f"--repo-root={src}", "--",
           "-std=c++20", f"-I{src}/runtime/include"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300).stdout
    out = out.replace(str(src), "<src>")
    out = "\n".join(l for l in out.splitlines() if '"toolVersion"' not in l and '"version": "0.' not in l) + "\n"
    path = golden / f"case.{ext}"
    if update:
        path.write_text(out)
    elif not path.exists() or path.read_text() != out:
        print(f"{fmt}: output differs from {path}:\n{out}", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)
