#!/bin/sh
# mybro-vad benchmarks: throughput against the C library (same audio, one process), then
# accuracy beside the WebRTC reference and Silero on the shared evalset and on a fresh one
# generated with a new seed (never used for tuning).
#   Benchmarks/VAD/bench_vad.sh [RELEASE_DIR]        (SEED=N to pick the fresh set's seed)
# Needs libwebrtc-audio-processing-dev and the anchors venv of shared/bench/README.md
# (PYTHON defaults to ~/.cache/mybro-anchors/bin/python; SHARED to ../shared beside the repo).
set -eu
cd "$(dirname "$0")/../.."
RELEASE=${1:-.build/release}
SEED=${SEED:-$(date +%s)}
PYTHON=${PYTHON:-$HOME/.cache/mybro-anchors/bin/python}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
FRESH=${TMPDIR:-/tmp}/mybro-vad-evalset-$SEED

[ -x "$RELEASE/mybro-vad" ] || swift build -c release --product mybro-vad
(cd Benchmarks/VADThroughput && swift build -c release --product vad-throughput)

echo "== mybro-vad throughput: Swift vs the C library, 10 minutes of the evalset looped"
Benchmarks/VADThroughput/.build/release/vad-throughput "$SHARED/data/vad-eval" 600

if ! "$PYTHON" -c "import numpy, soundfile, webrtcvad" 2>/dev/null; then
    echo "== mybro-vad accuracy skipped: $PYTHON lacks numpy/soundfile/webrtcvad (see shared/bench/README.md)"
    exit 0
fi
echo "== mybro-vad accuracy on the shared evalset"
"$PYTHON" Benchmarks/VAD/eval_segments.py --set "$SHARED/data/vad-eval" --bin "$RELEASE/mybro-vad"

echo "== mybro-vad accuracy on a fresh evalset (seed $SEED)"
[ -d "$FRESH" ] || "$PYTHON" "$SHARED/bench/make_evalset.py" --seed "$SEED" --out "$FRESH" >/dev/null
"$PYTHON" Benchmarks/VAD/eval_segments.py --set "$FRESH" --bin "$RELEASE/mybro-vad"
