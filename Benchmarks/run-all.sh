#!/bin/sh
# Runs every benchmark against release builds; each prints its anchor and ratios.
set -eu
cd "$(dirname "$0")/.."
swift build -c release
for bench in Benchmarks/*/bench_*.py; do
    echo "== $bench"
    python3 "$bench" .build/release
done
for bench in Benchmarks/*/bench_*.sh; do
    [ -f "$bench" ] || continue
    echo "== $bench"
    sh "$bench" .build/release
done
