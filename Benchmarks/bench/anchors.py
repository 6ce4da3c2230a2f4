#!/usr/bin/env python3
"""mybro-bench's memory and sgemm figures beside their anchors, measured in the same run.

The anchors are built here from this folder: stream_anchor.c (a STREAM-style program) with
`cc -O3 -march=native` (1 thread) and with -fopenmp (all threads), and sgemm_anchor.c calling
OpenBLAS's cblas_sgemm directly. Rounds alternate mybro-bench and the anchors so that both see
the same machine; the ratio per round is mybro's best over the anchor's best, and the median
ratio over rounds is printed with its range. Goal (issue 13): every ratio within 5 % of 1.

usage: anchors.py [--binary .build/release/mybro-bench] [--rounds 5] [--quick]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def build(directory, n):
    """The anchors, with the STREAM arrays as long as mybro-bench's (it follows STREAM's rule:
    at least 10 million elements and 4x the last-level cache)."""
    cc = os.environ.get("CC", "gcc")
    blas = "-I/usr/include/x86_64-linux-gnu/openblas-pthread"
    size = f"-DN={n}"
    steps = [
        [cc, "-O3", "-march=native", size, f"{HERE}/stream_anchor.c", "-o", f"{directory}/stream1"],
        [cc, "-O3", "-march=native", "-fopenmp", size, f"{HERE}/stream_anchor.c", "-o", f"{directory}/stream_omp"],
        [cc, "-O3", "-march=native", blas, f"{HERE}/sgemm_anchor.c", "-lopenblas", "-o", f"{directory}/sgemm"],
    ]
    for step in steps:
        subprocess.run(step, check=True)


def lines(command, env=None):
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/mybro-bench")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="time mybro-bench --quick (as the issue's check does)")
    args = parser.parse_args()
    cpus = len(os.sched_getaffinity(0))
    ratios = {}
    with tempfile.TemporaryDirectory() as directory:
        first = lines([args.binary, "--only", "memory", "--quick", "--format", "json", "-q"])
        n = next(int(r["n"]) for r in first if r.get("name") == "memory.triad")
        build(directory, n)
        print(f"STREAM arrays: {n} doubles each, {cpus} CPUs", file=sys.stderr)
        for round_number in range(args.rounds):
            command = [args.binary, "--only", "memory,sgemm", "--format", "json", "-q"]
            if args.quick:
                command.append("--quick")
            ours = {}
            size = None
            for record in lines(command):
                if record.get("type") != "measure":
                    continue
                if record["name"].startswith("memory."):
                    ours[(record["name"][7:], record["threads"])] = record["value"]
                elif record["name"] == "sgemm":
                    ours[("sgemm", record["threads"])] = record["value"]
                    size = record["size"]
            anchor = {}
            for record in lines([f"{directory}/stream1"]):
                anchor[(record["kernel"], 1)] = record["gb_per_s"]
            env = dict(os.environ, OMP_NUM_THREADS=str(cpus))
            for record in lines([f"{directory}/stream_omp"], env=env):
                anchor[(record["kernel"], cpus)] = record["gb_per_s"]
            for threads in sorted({1, cpus}):
                record = lines([f"{directory}/sgemm", str(size), str(threads), "5"])[0]
                anchor[("sgemm", threads)] = record["gflop_per_s"]
            for key, value in anchor.items():
                if key in ours:
                    ratios.setdefault(key, []).append(ours[key] / value)
                    print(f"round {round_number + 1}: {key[0]:6} threads={key[1]}  mybro {ours[key]:8.2f}  "
                          f"anchor {value:8.2f}  ratio {ours[key] / value:.3f}", file=sys.stderr)
    print(f"{'figure':22} {'median ratio':>13} {'range':>15}  (mybro-bench / anchor, {args.rounds} rounds)")
    worst = 0.0
    for key in sorted(ratios):
        values = ratios[key]
        median = statistics.median(values)
        worst = max(worst, abs(median - 1))
        print(f"{key[0] + ' threads=' + str(key[1]):22} {median:13.3f} {min(values):7.3f}-{max(values):.3f}")
    print(f"largest deviation of a median ratio from 1: {worst * 100:.1f} % (goal: at most 5 %)")


if __name__ == "__main__":
    main()
