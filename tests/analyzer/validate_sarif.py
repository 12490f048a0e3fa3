#!/usr/bin/env python3
"""SARIF from tracelint (findings, notes and a failed file) validates against the SARIF 2.1.0 schema.
Usage: validate_sarif.py <tracelint> <source root>"""
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema

tool, src = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
schema = json.loads((src / "tests/analyzer/sarif-schema-2.1.0.json").read_text())
with tempfile.TemporaryDirectory() as d:
    bad = pathlib.Path(d) / "bad.cpp"
    bad.write_text("int main() { return nope; }\n")
    files = [str(p) for p in sorted((src / "examples").glob("seed*_buggy.cpp"))] + [str(bad)]
    out = subprocess.run([tool, *files, "--format=sarif", "--quiet", f"--repo-root={src}", "--", "-std=c++20",
                          f"-I{src}/runtime/include"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 3, out.returncode
    doc = json.loads(out.stdout)
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    assert run["results"], "no results"
    assert run["invocations"][0]["toolExecutionNotifications"], "failed file not reported"
    print(f"valid SARIF 2.1.0: {len(run['results'])} results, "
          f"{len(run['invocations'][0]['toolExecutionNotifications'])} failed file(s)")
