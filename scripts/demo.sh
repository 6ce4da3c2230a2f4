#!/bin/sh
# The main job, end to end and offline: a spoken request goes through the whole voice loop.
# espeak-ng (through mybro-say) speaks "run the tests" into a WAV; mybro listen hears it,
# transcribes it, the offline grammar makes it a `run` intent, mybro-exec runs the tests of
# demo/workspace, and the spoken answer lands in a WAV. Every record is printed as it passes.
#
#   scripts/demo.sh [BIN_DIR]      (make demo builds first and installs what is missing)
set -eu
bin=${1:-.build/release}
out=demo/out
mkdir -p "$out"
PATH="$bin:$PATH"
export XDG_STATE_HOME="$PWD/$out/state"   # the demo's job history stays in demo/out

echo "== 1. The request, spoken: $out/request.wav"
mybro-say "run the tests" --output - \
    | { head -c 16000 /dev/zero; cat; head -c 48000 /dev/zero; } \
    | mybro-capture --input - --wav > "$out/request.wav"
echo "   $(soxi -d "$out/request.wav") of speech and silence"

echo "== 2. The loop:"
echo "   $(mybro-listen --print-pipeline --input "$out/request.wav" --output "$out/reply.wav" --backend rules --cwd demo/workspace)"
echo "== 3. Every record, as it passes (audio payloads shortened):"
mybro-listen --input "$out/request.wav" --output "$out/reply.wav" --backend rules --cwd demo/workspace --events - \
    | jq -c 'if .pcm then .pcm = "<\(.pcm | length) base64 characters>" else . end'

echo "== 4. The spoken answer: $out/reply.wav, $(soxi -d "$out/reply.wav") of speech" \
    "(RMS level $(sox "$out/reply.wav" -n stat 2>&1 | sed -n 's/^RMS *amplitude: *//p'))"
echo "   play it with: aplay $out/reply.wav"
