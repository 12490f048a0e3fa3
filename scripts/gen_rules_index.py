#!/usr/bin/env python3
"""Writes docs/rules/README.md from rules/catalogue.json (the catalogue is the only list of rules).
With --check, fails when the file on disk differs (a CTest test runs that)."""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
cat = json.loads((root / "rules/catalogue.json").read_text())
lines = ["# Rules", "", "Generated from `rules/catalogue.json` by `scripts/gen_rules_index.py`; do not edit.", "",
         "| id | severity | precision | summary | analyzer |", "|---|---|---|---|---|"]
for r in cat["rules"]:
    doc = root / "docs/rules" / f"{r['id']}.md"
    name = f"[{r['id']}]({r['id']}.md)" if doc.exists() else r["id"]
    status = "implemented" if doc.exists() else "planned"
    lines.append(f"| {name} | {r['severity']} | {r['precision']} | {r['summary']} | {status} |")
text = "\n".join(lines) + "\n"
target = root / "docs/rules/README.md"
if "--check" in sys.argv:
    if not target.exists() or target.read_text() != text:
        sys.exit("docs/rules/README.md is out of date: run scripts/gen_rules_index.py")
else:
    target.write_text(text)
