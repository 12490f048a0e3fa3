#!/usr/bin/env python3
"""Issue 18's small report defects, each asserted on real output:
- JSON and SARIF ranges cover the token or expression (not start == end), notes included;
- SARIF rules[].name is a PascalCase name distinct from the id;
- codeDescription.href / helpUri default to the docs beside the rules in use (an existing file
  URI), and --docs-url / $TRACELINT_DOCS_URL replace the base;
- --export-fixes writes each diagnostic's real FileOffset;
- the fingerprint is the same in JSON (data.fingerprint) and SARIF (partialFingerprints).
Usage: report_details_test.py <tracelint> <source root>"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import urllib.parse

tool, src = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
args = ["--", "-std=c++20", f"-I{src}/runtime/include"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(*argv, env=None):
    p = subprocess.run([tool, *argv], capture_output=True, text=True, timeout=300, env=env)
    if p.returncode not in (0, 1):
        sys.exit(f"tracelint {' '.join(argv)} exited {p.returncode}: {p.stderr}")
    return p


def utf16_slice(line, start, end):
    units = line.encode("utf-16-le")
    return units[2 * start:2 * end].decode("utf-16-le")


case = src / "tests/analyzer/golden/case.cpp"
lines = case.read_text(encoding="utf-8").splitlines()
doc = json.loads(run(str(case), "--format=json", "--quiet", *args).stdout)
diags = [d for f in doc["files"] for d in f["diagnostics"]]
check(len(diags) == 1, f"golden case: expected one diagnostic, got {len(diags)}")
for d in diags:
    r = d["range"]
    check(r["start"]["line"] == r["end"]["line"], f"range spans lines: {r}")
    text = utf16_slice(lines[r["start"]["line"]], r["start"]["character"], r["end"]["character"])
    # The host mutation covers the written expression, the entity.
    check(text == d["data"]["entity"], f"range covers {text!r}, expected {d['data']['entity']!r}")
    for rel in d["relatedInformation"]:
        rr = rel["location"]["range"]
        check(rr["end"] != rr["start"], f"note range is zero-width: {rel}")
    href = d["codeDescription"]["href"]
    check(href.startswith("file://"), f"default href is not a file URI: {href}")
    path = urllib.parse.unquote(urllib.parse.urlparse(href).path)
    check(pathlib.Path(path).is_file(), f"default href names no file: {href}")
    check(path.endswith("/docs/rules/trace-host-mutation.md"), f"href is not the rule page: {href}")
    check(len(d["data"].get("fingerprint", "")) > 16, f"no fingerprint in JSON data: {d['data']}")

sarif = json.loads(run(str(case), "--format=sarif", "--quiet", f"--repo-root={src}", *args).stdout)
run0 = sarif["runs"][0]
for rule in run0["tool"]["driver"]["rules"]:
    expected = "".join(p.capitalize() for p in rule["id"].split("-"))
    check(rule["name"] == expected and rule["name"] != rule["id"], f"rule name {rule['name']!r} for {rule['id']}")
    check(rule["helpUri"].startswith("file://"), f"helpUri {rule['helpUri']}")
check(run0["tool"]["driver"]["informationUri"].startswith("file://"), "informationUri is not the docs")
for res in run0["results"]:
    region = res["locations"][0]["physicalLocation"]["region"]
    check(region.get("endLine") == region["startLine"] and region.get("endColumn", 0) > region["startColumn"],
          f"SARIF region has no extent: {region}")
    check(res["partialFingerprints"].get("tracelint/v2") == diags[0]["data"].get("fingerprint"),
          f"SARIF fingerprint {res['partialFingerprints']} differs from JSON")

# A configured docs base, from the flag and from the environment.
out = json.loads(run(str(case), "--format=json", "--quiet", "--docs-url=https://docs.example.org/tl/", *args).stdout)
href = out["files"][0]["diagnostics"][0]["codeDescription"]["href"]
check(href == "https://docs.example.org/tl/rules/trace-host-mutation.md", f"--docs-url: {href}")
env = dict(os.environ, TRACELINT_DOCS_URL="https://env.example.org/d")
out = json.loads(run(str(case), "--format=sarif", "--quiet", *args, env=env).stdout)
uri = out["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"]
check(uri.startswith("https://env.example.org/d/rules/"), f"$TRACELINT_DOCS_URL: {uri}")

# --export-fixes: FileOffset is the byte offset of the diagnostic's line and column.
with tempfile.TemporaryDirectory() as tmp:
    code = ('#include <iostream>\n#include <tl/tl.h>\n// \u00e9t\u00e9\nint main() {\n'
            '  auto f = tl::function([](const tl::tensor& x) {\n    std::cout << x;\n    return x;\n  });\n'
            '  f(tl::ones({2}));\n}\n')
    fixes_src = pathlib.Path(tmp) / "fix.cpp"
    fixes_src.write_text(code, encoding="utf-8")
    yaml = pathlib.Path(tmp) / "fixes.yaml"
    text = run(str(fixes_src), "--quiet", "--use-color=false", f"--export-fixes={yaml}", *args).stdout
    data = code.encode("utf-8")
    expected = []
    for line in text.splitlines():
        if line.startswith(str(fixes_src) + ":") and ": warning: " in line:
            ln, col = (int(v) for v in line[len(str(fixes_src)) + 1:].split(":")[:2])
            expected.append(sum(len(l) + 1 for l in data.split(b"\n")[:ln - 1]) + col - 1)
    offsets = [int(l.split(":")[1]) for l in yaml.read_text().splitlines() if l.strip().startswith("FileOffset:")]
    check(expected and offsets == expected, f"FileOffset {offsets}, expected {expected}")
    check(0 not in offsets, f"FileOffset 0 written: {offsets}")

if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
print("report details: ok")
