#!/bin/sh
# mybro-vad benchmarks: throughput against the C library, then accuracy on the shared evalset
# and on a freshly generated one (a seed never used for tuning).
#   Benchmarks/VAD/run.sh [SEED]
# Needs: libwebrtc-audio-processing-dev, and the anchors venv of shared/bench/README.md
# (PYTHON defaults to ~/.cache/mybro-anchors/bin/python; SHARED to ../shared beside the repo).
set -eu
cd "$(dirname "$0")/../.."
SEED=${1:-$(date +%s)}
PYTHON=${PYTHON:-$HOME/.cache/mybro-anchors/bin/python}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
FRESH=${TMPDIR:-/tmp}/mybro-vad-evalset-$SEED

swift build -c release --product mybro-vad
(cd Benchmarks/VADThroughput && swift build -c release --product vad-throughput)

echo "== throughput: Swift vs the C library, 10 minutes of the evalset looped"
Benchmarks/VADThroughput/.build/release/vad-throughput "$SHARED/data/vad-eval" 600

echo "== accuracy on the shared evalset"
"$PYTHON" Benchmarks/VAD/eval_segments.py --set "$SHARED/data/vad-eval"

echo "== accuracy on a fresh evalset (seed $SEED)"
[ -d "$FRESH" ] || "$PYTHON" "$SHARED/bench/make_evalset.py" --seed "$SEED" --out "$FRESH" >/dev/null
"$PYTHON" Benchmarks/VAD/eval_segments.py --set "$FRESH"
