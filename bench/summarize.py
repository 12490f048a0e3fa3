#!/usr/bin/env python3
"""One table of ratios against the goals, from the RESULT lines of every benchmark.

Input: files (or stdin) holding lines in the anchors' format
    RESULT<TAB>bench<TAB>case<TAB>threads=T<TAB>unit<TAB>best=X<TAB>median=Y<TAB>samples=K
A case that appears in several lines (one per benchmark process, since scripts/bench.sh alternates
processes round by round) is summarized by the median of those lines' medians.

The goals are written here and nowhere else; docs/performance.md quotes this table.
"""
import statistics
import sys
from collections import defaultdict


def parse(lines):
    values = defaultdict(list)
    counts = defaultdict(int)  # measurements behind each figure, over all lines
    units = {}
    for line in lines:
        if not line.startswith("RESULT\t"):
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 8:
            raise SystemExit(f"summarize: malformed RESULT line (want 8 tab-separated fields): {line!r}")
        _, bench, case, threads, unit = fields[:5]
        try:
            threads = int(threads.removeprefix("threads="))
            median = float(fields[6].removeprefix("median="))
        except ValueError:
            raise SystemExit(f"summarize: malformed RESULT line (threads or median not a number): {line!r}")
        try:
            samples = int(fields[7].removeprefix("samples="))
        except ValueError:
            raise SystemExit(f"summarize: malformed RESULT line (samples not a number): {line!r}")
        values[(bench, case, threads)].append(median)
        counts[(bench, case, threads)] += samples
        units[(bench, case, threads)] = unit
    return {k: statistics.median(v) for k, v in values.items()}, counts, units


# (label, numerator, denominator, goal): the ratio is numerator / denominator, so every ratio is
# "how many times the baseline's cost"; `higher` rows are throughput ratios (baseline / ours).
def rows(threads):
    mlp, tiny = "mlp784_256_10_b64_train_step", "tiny8_16_1_b8_train_step"
    out = [
        ("MLP 784-256-10 step: tl traced / libtorch (time)", (mlp, "traced_off"), (mlp, "libtorch"), ("<=", 0.7)),
        ("MLP step: tl traced / hand-written Eigen program (time)", (mlp, "traced_off"), (mlp, "eigen"), ("<=", 1.1)),
        # The floor under the two rows above: the step's GEMM FLOPs at this CPU's FMA peak
        # (bench/fma_peak_bench.cpp). With OPENBLAS_CORETYPE=Haswell every GEMM runs AVX2 kernels, so
        # tl / Eigen cannot go below the first ratio; the second says how near tl's step is to it.
        ("MLP step: its GEMMs at the AVX2 FMA peak / hand-written Eigen program (time)",
         (mlp, "gemm_flops_at_avx2_peak"), (mlp, "eigen"), None),
        ("MLP step: tl traced / its GEMMs at the AVX2 FMA peak (time)", (mlp, "traced_off"),
         (mlp, "gemm_flops_at_avx2_peak"), None),
        ("MLP step: its GEMMs at the AVX-512 FMA peak / hand-written Eigen program (time)",
         (mlp, "gemm_flops_at_avx512_peak"), (mlp, "eigen"), None),
        # What the executor's fusions buy: the same step traced with TL_FUSION=0.
        ("MLP step: fused / TL_FUSION=0 (time)", (mlp, "traced_off"), (mlp, "traced_unfused"), None),
        ("MLP step: tl traced / tl eager (time)", (mlp, "traced_off"), (mlp, "eager"), ("<", 1.0)),
        ("MLP step: check mode warn / off (time)", (mlp, "traced_warn"), (mlp, "traced_off"), ("<=", 1.03)),
        ("MLP step: check mode assert / off (time)", (mlp, "traced_assert"), (mlp, "traced_off"), ("<=", 1.10)),
        # Verify mode traces again on every call: a test mode whose cost is reported, not bounded.
        ("MLP step: check mode verify / off (time)", (mlp, "traced_verify"), (mlp, "traced_off"), None),
        ("tiny 8-16-1 step: tl traced, us per step", (tiny, "traced_off"), None, ("<=", 2.0)),
        ("tiny step: fused / TL_FUSION=0 (time)", (tiny, "traced_off"), (tiny, "traced_unfused"), None),
        ("tiny step: libtorch / tl traced (speedup)", (tiny, "libtorch"), (tiny, "traced_off"), (">=", 1.0)),
        ("tiny step: tl eager / tl traced (speedup)", (tiny, "eager"), (tiny, "traced_off"), (">=", 5.0)),
        ("100-op chain, 4 floats: eager / traced (speedup)", ("op_chain_100_4elem", "eager"),
         ("op_chain_100_4elem", "traced"), (">=", 5.0)),
    ]
    for n in (256, 512, 1024, 2048):
        out.append((f"matmul n={n}: cblas_sgemm / tl (throughput)", ("matmul_f32", f"sgemm_n={n}"),
                    ("matmul_f32", f"tl_n={n}"), (">=", 0.95)))
    out.append(("fused chain 16M floats: OpenMP loop / tl (throughput)", ("fused_chain_16M", "omp_loop"),
                ("fused_chain_16M", "tl_traced"), (">=", 0.9)))
    # The same loop on tl's own input buffers, writing into a tl-allocated one: what the buffers'
    # placement alone moves (the row above uses the benchmark's std::vectors).
    out.append(("fused chain 16M floats: OpenMP loop on tl's buffers / tl (throughput)",
                ("fused_chain_16M", "omp_tlbuf"), ("fused_chain_16M", "tl_traced"), None))
    out.append(("fused chain 16M floats: block interpreter / tl (throughput)", ("fused_chain_16M", "tl_interpreter"),
                ("fused_chain_16M", "tl_traced"), None))
    return [(label, num, den, goal, threads) for label, num, den, goal in out]


ANALYZER_ROWS = [
    ("analyzer: tracelint / clang-19 -fsyntax-only (time)", ("analyzer_all_tus", "tracelint", 1),
     ("analyzer_all_tus", "clang_syntax_only", 1), ("<=", 1.15)),
    ("analyzer: tracelint / clang-tidy-19, one AST-matcher check (time)", ("analyzer_all_tus", "tracelint", 1),
     ("analyzer_all_tus", "clang_tidy_one_check", 1), ("<=", 1.0)),
    ("analyzer: tracelint -j 2 / -j 1 on all files (time)", ("analyzer_all_tus_one_process", "tracelint_j2", 2),
     ("analyzer_all_tus_one_process", "tracelint_j1", 1), ("<", 1.0)),
    ("analyzer on this repository's runtime, tests and examples: tracelint / clang-19 -fsyntax-only (time)",
     ("analyzer_repo_code_base", "tracelint", 1), ("analyzer_repo_code_base", "clang_syntax_only", 1), ("<=", 1.15)),
    ("analyzer: warm re-run, nothing changed / cold run, --cache-dir (time)", ("analyzer_all_tus_cache", "warm", 1),
     ("analyzer_all_tus_cache", "cold", 1), ("<=", 0.05)),
]


def goal_text(goal):
    return "none (measured)" if goal is None else f"{goal[0]} {goal[1]:g}"


def verdict(value, goal):
    if goal is None:
        return "measured"
    op, bound = goal
    ok = {"<=": value <= bound, "<": value < bound, ">=": value >= bound}[op]
    return "met" if ok else "MISSED"


def main(argv):
    lines = []
    if len(argv) > 1:
        for path in argv[1:]:
            with open(path, encoding="utf-8") as f:
                lines.extend(f)
    else:
        lines = sys.stdin.readlines()
    med, count, units = parse(lines)
    if not med:
        raise SystemExit("summarize: no RESULT lines in the input")
    print("| measure | threads | value | goal | verdict | samples |")
    print("|---|---|---|---|---|---|")
    threads_seen = sorted({t for (_, _, t) in med if t > 0})
    table = [r for t in threads_seen for r in rows(t)]
    table += [(label, num, den, goal, None) for label, num, den, goal in ANALYZER_ROWS]
    for label, num, den, goal, threads in table:
        nkey = num if threads is None else (*num, threads)
        dkey = None if den is None else (den if threads is None else (*den, threads))
        shown_threads = nkey[2] if threads is None else threads
        missing = [k for k in (nkey, dkey) if k is not None and k not in med]
        if missing:
            # Skip analyzer rows silently when the analyzer was not benchmarked in this run.
            if threads is None and all(k[0].startswith("analyzer") for k in missing):
                continue
            what = ", ".join(f"{k[0]}/{k[1]}" for k in missing)
            print(f"| {label} | {shown_threads} | not measured ({what}) | {goal_text(goal)} | n/a | |")
            continue
        value = med[nkey] / med[dkey] if dkey else med[nkey]
        shown = f"{value:.3f}x" if dkey else f"{value:.2f} {units[nkey]}"
        num = lambda v: f"{v:.0f}" if v >= 1000 else f"{v:.4g}"
        detail = f" ({num(med[nkey])} / {num(med[dkey])} {units[nkey]})" if dkey else ""
        rounds = min(count[nkey], count[dkey]) if dkey else count[nkey]
        shown_goal = goal_text(goal) + ("x" if dkey and goal is not None else "")
        print(f"| {label}{detail} | {shown_threads} | {shown} | {shown_goal} | {verdict(value, goal)} | {rounds} |")


if __name__ == "__main__":
    main(sys.argv)
