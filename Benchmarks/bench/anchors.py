#!/usr/bin/env python3
"""mybro-bench's memory and sgemm figures beside their anchors, measured in the same run.

The anchors are built here from this folder: stream_anchor.c (a STREAM-style program) with
`-O3 -march=native` (1 thread) and with -fopenmp (all threads), by gcc (Debian's cc) and, where
it exists, by clang; and sgemm_anchor.c calling OpenBLAS's cblas_sgemm directly. Rounds
alternate mybro-bench and the anchors so that all see the same machine; the ratio per round is
mybro's best over the anchor's best, and the median ratio over rounds is printed with its range.
Goal (issue 13): within 5 % of 1. The control line "itself" runs the first compiler's anchor
twice in each round and prints the second run over the first: the ratio two runs of one program
give here, which bounds how closely any figure can be judged on this machine.

usage: anchors.py [--binary .build/release/mybro-bench] [--rounds 5] [--quick]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BLAS = "-I/usr/include/x86_64-linux-gnu/openblas-pthread"


def anchor_length(n):
    """STREAM's array length for the anchor: mybro-bench's n rounded up to whole millions (the
    sizes a user of stream.c picks; its default is 10 million), skipping lengths whose static
    arrays would start near the same offset in a page. stream.c lays a, b and c end to end, so
    at 2·10^7 doubles a and c are a whole number of pages apart and the loads of one collide with
    the stores of the other (4K aliasing: copy, add and triad 10-20 % low here); a power of two
    such as mybro-bench's 2^24 aliases all three. stream.c's OFFSET exists for this; the default
    10^7 puts them 1 KiB apart."""
    def apart(length):
        return all(256 <= (k * length * 8) % 4096 <= 3840 for k in (1, 2))
    length = -(-n // 1_000_000) * 1_000_000
    while not apart(length):
        length += 1_000_000
    return length


def build(directory, n):
    """The anchors (STREAM arrays of anchor_length(n), or ANCHOR_N="-DN=..."), plus gcc without
    -march=native ("gcc-O3", SSE2 only) to show what the vector width does. Returns their names."""
    compilers = [c for c in os.environ.get("CC", "gcc clang").split() if shutil.which(c)]
    if not compilers:
        sys.exit("anchors.py: no C compiler (apt-get install gcc libopenblas-dev), or name one in CC")
    size = os.environ.get("ANCHOR_N", f"-DN={anchor_length(n)}")
    if "gcc" in compilers:
        subprocess.run(["gcc", "-O3", size, f"{HERE}/stream_anchor.c", "-o", f"{directory}/stream1-gcc-O3"],
                       check=True)
    for cc in compilers:
        subprocess.run([cc, "-O3", "-march=native", size, f"{HERE}/stream_anchor.c", "-o",
                        f"{directory}/stream1-{cc}"], check=True)
        # clang needs libomp for -fopenmp; without it the all-threads anchor is gcc's alone.
        omp = subprocess.run([cc, "-O3", "-march=native", "-fopenmp", size, f"{HERE}/stream_anchor.c", "-o",
                              f"{directory}/stream_omp-{cc}"], capture_output=True)
        if omp.returncode != 0:
            print(f"no OpenMP build with {cc}: its all-threads anchor is left out", file=sys.stderr)
    subprocess.run([compilers[0], "-O3", "-march=native", BLAS, f"{HERE}/sgemm_anchor.c", "-lopenblas", "-o",
                    f"{directory}/sgemm"], check=True)
    return compilers + (["gcc-O3"] if "gcc" in compilers else [])


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
        compilers = build(directory, n)
        print(f"STREAM arrays: mybro-bench {n} doubles each, anchors "
              f"{os.environ.get('ANCHOR_N', anchor_length(n))}; {cpus} CPUs; anchors by {', '.join(compilers)}",
              file=sys.stderr)
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
            for cc in compilers:
                for record in lines([f"{directory}/stream1-{cc}"]):
                    anchor[(record["kernel"], 1, cc)] = record["gb_per_s"]
                if os.path.exists(f"{directory}/stream_omp-{cc}") and cpus > 1:
                    env = dict(os.environ, OMP_NUM_THREADS=str(cpus))
                    for record in lines([f"{directory}/stream_omp-{cc}"], env=env):
                        anchor[(record["kernel"], cpus, cc)] = record["gb_per_s"]
            # The control: the first compiler's 1-thread anchor run once more, after the others,
            # against its own run above. Its ratios are this machine's resolution: two runs of one program differ
            # by this much, so mybro-bench cannot be judged closer than that.
            for record in lines([f"{directory}/stream1-{compilers[0]}"]):
                first = anchor[(record["kernel"], 1, compilers[0])]
                ratios.setdefault((record["kernel"], 1, "itself"), []).append(record["gb_per_s"] / first)
            for threads in sorted({1, cpus}):
                record = lines([f"{directory}/sgemm", str(size), str(threads), "5"])[0]
                anchor[("sgemm", threads, "OpenBLAS")] = record["gflop_per_s"]
            for (kernel, threads, by), value in anchor.items():
                if (kernel, threads) in ours:
                    mine = ours[(kernel, threads)]
                    ratios.setdefault((kernel, threads, by), []).append(mine / value)
                    print(f"round {round_number + 1}: {kernel:6} threads={threads} {by:8} mybro {mine:8.2f}  "
                          f"anchor {value:8.2f}  ratio {mine / value:.3f}", file=sys.stderr)
    print(f"{'figure':20} {'anchor':9} {'median ratio':>13} {'range':>14} {'off >5 %':>9}  "
          f"(mybro-bench / anchor, {args.rounds} rounds)")
    for key in sorted(ratios):
        values = ratios[key]
        print(f"{key[0] + ' threads=' + str(key[1]):20} {key[2]:9} {statistics.median(values):13.3f} "
              f"{min(values):7.3f}-{max(values):.3f} {sum(abs(v - 1) > 0.05 for v in values):9}")
    for by in sorted({key[2] for key in ratios}):
        worst = max(abs(statistics.median(v) - 1) for k, v in ratios.items() if k[2] == by)
        goal = {"gcc-O3": "not a goal: built without -march=native",
                "itself": f"the control: {compilers[0]}'s anchor run twice, this machine's resolution"}.get(
                    by, "goal: at most 5 %")
        print(f"largest deviation of a median ratio from 1 against {by}: {worst * 100:.1f} % ({goal})")


if __name__ == "__main__":
    main()
