#!/bin/sh
# Decoding + downmix + resampling speed of mybro-capture against sox (the anchor), on the
# same 10-minute files, in one run. Usage: bench_capture.sh [BIN_DIR]  (default .build/release)
# Prints wall times (best of 3), real-time factors and the ratio mybro/sox.
set -eu
bin=${1:-.build/release}
capture="$bin/mybro-capture"
[ -x "$capture" ] || { echo "build first: swift build -c release" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds=600
sox -n -r 44100 -c 2 "$work/music.flac" synth $seconds sine 200-4000 gain -6
sox -n -r 48000 -c 2 -b 16 "$work/stereo48k.wav" synth $seconds sine 200-4000 gain -6
sox -n -r 44100 -c 2 -C 128 "$work/speech.mp3" synth $seconds sine 200-4000 gain -6

best_of_3() {  # prints the best wall time of a shell command, in seconds
    best=""
    for _ in 1 2 3; do
        start=$(date +%s.%N)
        sh -c "$1" > /dev/null
        end=$(date +%s.%N)
        best=$(echo "$start $end ${best:-1e9}" | awk '{t = $2 - $1; print (t < $3 ? t : $3)}')
    done
    echo "$best"
}

printf '%-16s %12s %12s %10s %10s %8s\n' file "mybro (s)" "sox (s)" "mybro xRT" "sox xRT" ratio
for file in music.flac stereo48k.wav speech.mp3; do
    mine=$(best_of_3 "'$capture' --input '$work/$file'")
    anchor=$(best_of_3 "sox '$work/$file' -t raw -r 16000 -c 1 -b 16 -e signed -")
    echo "$file $mine $anchor $seconds" | awk '{printf "%-16s %12.3f %12.3f %10.0f %10.0f %8.2f\n", $1, $2, $3, $4 / $2, $4 / $3, $2 / $3}'
done
echo "(xRT: seconds of audio converted per second of wall time; ratio < 1 means mybro is faster)"
