#!/bin/sh
# Runs every benchmark against release builds; each prints its anchor, measured in the same
# run, and the ratios. The anchors that are Python packages (faster-whisper, webrtcvad, Silero)
# live in a virtual environment outside the repository (`make anchors` creates it); the
# benchmarks that need them, or ../shared/data, say so and are skipped when it is missing.
set -eu
cd "$(dirname "$0")/.."
anchors=${MYBRO_ANCHORS:-$HOME/.cache/mybro-anchors}
python=python3
[ -x "$anchors/bin/python" ] && python="$anchors/bin/python"
swift build -c release
bin=.build/release

for bench in Benchmarks/say/bench_say.py Benchmarks/exec/bench_stop.py Benchmarks/loop/bench_latency.py; do
    echo "== $bench"
    python3 "$bench" "$bin"
done
echo "== Benchmarks/intent/evaluate.py"
python3 Benchmarks/intent/evaluate.py --binary "$bin/mybro-intent"
echo "== Benchmarks/transcribe/bench_commands.py (short commands: default vs --full-window, WER with/without the coding prompt)"
python3 Benchmarks/transcribe/bench_commands.py --bin "$bin" --threads 2 --count 80
echo "== Benchmarks/capture/bench_capture.sh"
sh Benchmarks/capture/bench_capture.sh "$bin"
echo "== Benchmarks/kernel/run.sh (mybro-kernel against numpy, C STREAM and OpenBLAS)"
RUNS=1 Benchmarks/kernel/run.sh

if [ -x "$anchors/bin/python" ] && [ -d ../shared/data ]; then
    echo "== Benchmarks/VAD/bench_vad.sh"
    PYTHON="$anchors/bin/python" sh Benchmarks/VAD/bench_vad.sh "$bin"
    echo "== Benchmarks/transcribe/bench.py"
    MYBRO_BIN_DIR="$bin" "$python" Benchmarks/transcribe/bench.py --threads 2
else
    echo "== skipped: the VAD and transcription benchmarks need ../shared/data and the anchors" \
        "environment ($anchors, made by 'make anchors')"
fi
