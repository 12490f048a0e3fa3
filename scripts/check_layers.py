#!/usr/bin/env python3
"""Checks the runtime's includes against its layer order, written once in docs/architecture.md.

The ```layers block there lists the layers from the bottom up, each with the path prefixes it owns
(the longest prefix wins). A file may include files of its own layer or of layers below it. Fails on
an include that points up, on a pair of modules (a file's .h and .cpp together) that include each
other, and on any cycle of modules; prints each with the include that makes it.
Usage: check_layers.py [repo root]
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layers(root):
    text = open(os.path.join(root, "docs", "architecture.md"), encoding="utf-8").read()
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    if not block:
        sys.exit("docs/architecture.md has no ```layers block")
    order = []
    for line in block.group(1).splitlines():
        if line.strip():
            name, *prefixes = line.split()
            order.append((name, prefixes))
    return order


def layer_of(path, order):
    best = None
    for rank, (name, prefixes) in enumerate(order):
        for p in prefixes:
            if path.startswith(p) and (best is None or len(p) > best[2]):
                best = (rank, name, len(p))
    return best


def resolve(root, includer, target):
    """The repository path an #include "target" in `includer` names, or None (a system header)."""
    for base in (os.path.dirname(includer), "runtime/src", "runtime/include"):
        candidate = os.path.normpath(os.path.join(base, target))
        if os.path.isfile(os.path.join(root, candidate)):
            return candidate
    return None


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    order = layers(root)
    files = []
    for top in ("runtime",):
        for d, _, names in os.walk(os.path.join(root, top)):
            files += [os.path.relpath(os.path.join(d, n), root) for n in names if n.endswith((".h", ".cpp"))]
    problems, edges = [], {}
    for f in sorted(files):
        mine = layer_of(f, order)
        if mine is None:
            problems.append(f"{f}: in no layer of docs/architecture.md")
            continue
        for target in INCLUDE.findall(open(os.path.join(root, f), encoding="utf-8", errors="replace").read()):
            path = resolve(root, f, target)
            if path is None:
                continue
            theirs = layer_of(path, order)
            if theirs and theirs[0] > mine[0]:
                problems.append(f"{f} ({mine[1]}) includes {path} ({theirs[1]}): up the layer order")
            a, b = os.path.splitext(f)[0], os.path.splitext(path)[0]
            if a != b:
                edges.setdefault(a, {})[b] = f"{f} includes {path}"
    # Cycles among modules (Tarjan's strongly connected components).
    index, low, stack, on, counter, cycles = {}, {}, [], set(), [0], []

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    for component in cycles:
        members = set(component)
        why = [edges[a][b] for a in component for b in edges.get(a, {}) if b in members]
        problems.append("modules include each other: " + ", ".join(component) + " (" + "; ".join(sorted(why)) + ")")
    for p in problems:
        print(p)
    print(f"{len(files)} runtime files, {sum(len(v) for v in edges.values())} includes between modules, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
