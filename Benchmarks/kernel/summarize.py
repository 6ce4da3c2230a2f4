#!/usr/bin/env python3
"""Summarises Benchmarks/kernel/run.sh's records: per kernel and size the best run's time, its
numpy ratio (numpy time / mybro time, same run), its shares of the C STREAM triad measured in that
run (STREAM's ordinary stores, and non-temporal ones), and for dot and cosine the share of OpenBLAS's GFLOP/s on the same shape."""
import json
import sys
from collections import defaultdict

records = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
stream = defaultdict(dict)  # run -> stores -> GB/s
blas = {}  # (run, kernel, n) -> GFLOP/s
own_stream = {}
for r in records:
    if r["type"] == "c_stream":
        stream[r["run"]][r["stores"]] = r["gb_per_s"]
    elif r["type"] == "blas":
        blas[(r["run"], r["kernel"], r["n"])] = r["gflop_per_s"]
    elif r["type"] == "stream":
        own_stream[r["run"]] = r["gb_per_s"]

best = {}
for r in records:
    if r["type"] != "bench":
        continue
    key = (r["kernel"], r["n"])
    if key not in best or r["seconds"] < best[key]["seconds"]:
        best[key] = r

runs = sorted(stream)
print("C STREAM triad (GB/s) per run: " + ", ".join(
    f"run {k}: {stream[k].get('ordinary')} ordinary / {stream[k].get('nontemporal')} non-temporal" for k in runs))
print("mybro-kernel's own triad (GB/s) per run: " + ", ".join(f"run {k}: {v}" for k, v in sorted(own_stream.items())))
print()
# Two shares of the C STREAM triad: of STREAM's own (ordinary stores, the figure the issue names),
# and of the non-temporal one, the stricter: it does not pay the write-allocate read that the
# ordinary triad pays but STREAM does not count.
print("| kernel | n | seconds | GB/s | GFLOP/s | × numpy | share of C STREAM | share of C STREAM (nt) | share of OpenBLAS |")
print("|---|---|---|---|---|---|---|---|---|")
order = []
for r in records:
    if r["type"] == "bench" and r["kernel"] not in order:
        order.append(r["kernel"])
slower = []
below = {"ordinary": [], "nontemporal": []}  # kernels at 1e8 under 90 % of the C STREAM triad
for kernel in order:
    for n in sorted({n for (k, n) in best if k == kernel}):
        r = best[(kernel, n)]
        ordinary = stream.get(r["run"], {}).get("ordinary")
        c = stream.get(r["run"], {}).get("nontemporal")
        share_ordinary = f"{r['gb_per_s'] / ordinary:.0%}" if ordinary else ""
        share = f"{r['gb_per_s'] / c:.0%}" if c else ""
        b = blas.get((r["run"], kernel, int(n)))
        blas_share = f"{r['gflop_per_s'] * (0.5 if kernel == 'cosine' else 1) / b:.0%}" if b else ""
        for stores, anchor in (("ordinary", ordinary), ("nontemporal", c)):
            if anchor and n >= 1e8 and r["gb_per_s"] < 0.9 * anchor:
                below[stores].append(f"{kernel} {r['gb_per_s'] / anchor:.0%}")
        ratio = r.get("numpy_ratio")
        if ratio is not None and ratio < 1:
            slower.append(f"{kernel}@{n:.0e}")
        print(f"| {kernel} | {n:.0e} | {r['seconds']:.3e} | {r['gb_per_s']} | {r['gflop_per_s']} | "
              f"{'' if ratio is None else f'{ratio:.2f}'} | {share_ordinary} | {share} | {blas_share} |")
print()
print("slower than numpy: " + (", ".join(slower) if slower else "none"))
for stores in ("ordinary", "nontemporal"):
    print(f"under 90 % of the C STREAM triad ({stores} stores) at 1e8: " + (", ".join(below[stores]) or "none")
          + " (compute-bound kernels included: read which are memory-bound)")
print("(cosine's GFLOP/s count 4 per element, the dot and the row norm; OpenBLAS's sgemv does only the dot,"
      " so its share compares the dot's 2 FLOPs.)")
