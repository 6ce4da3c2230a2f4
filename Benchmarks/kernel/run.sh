#!/bin/sh
# make bench-kernel: mybro-kernel's CPU kernels against numpy (timed by `mybro-kernel bench` in
# the same run), against a C STREAM triad (-O3 -march=native) and against OpenBLAS on the
# batched shapes. The machine is shared: the whole set runs RUNS times and each figure is the
# best run's, with the ratios taken inside that run.
set -eu
cd "$(dirname "$0")/../.."
out=${OUT:-.build/bench-kernel}
sizes=${SIZES:-1e5,1e6,1e7,1e8}
runs=${RUNS:-2}
cc=${CC:-clang}
mkdir -p "$out"
swift build -c release --product mybro-kernel
"$cc" -O3 -march=native -o "$out/stream" Benchmarks/kernel/stream.c -lpthread
"$cc" -O3 -march=native -o "$out/blas" Benchmarks/kernel/blas.c -lopenblas
: > "$out/results.jsonl"
for run in $(seq "$runs"); do
    echo "run $run of $runs" >&2
    "$out/stream" | sed "s/^{/{\"run\":$run,/" >> "$out/results.jsonl"
    "$out/blas" $(echo "$sizes" | tr , ' ') | sed "s/^{/{\"run\":$run,/" >> "$out/results.jsonl"
    .build/release/mybro-kernel bench --sizes "$sizes" --format json | sed "s/^{/{\"run\":$run,/" >> "$out/results.jsonl"
done
python3 Benchmarks/kernel/summarize.py "$out/results.jsonl" | tee "$out/summary.md"
