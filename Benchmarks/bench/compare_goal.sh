#!/bin/sh
# The --compare goal of mybro-bench, measured: HISTORY full runs make this machine's history (the
# run-to-run spread the noise rule uses), the last one saved as the baseline; then compare RUNS repeated runs
# with it and count false regressions (exit 1) and flagged changes; then inject a SLOWDOWN %
# slowdown into one kernel (MYBRO_BENCH_SLOWDOWN, the suite's test aid) and check it is caught.
#
#   Benchmarks/bench/compare_goal.sh [path/to/mybro-bench]
#   RUNS=10 HISTORY=5 KERNEL=kernel.exp SLOWDOWN=20 QUICK=--quick THRESHOLD=10
# (HISTORY=1: no history, the rule falls back to the spread inside each run)
# KEEP=1 keeps the records (base.jsonl, runN.jsonl, slow.jsonl) and prints where.
# DRIFT=1 keeps one CPU busy for 7 s out of every 13 while it runs: the machine's speed then drifts
# between runs, as on a shared host (the goal itself names an idle machine).
#
# Exits 0 when both goals are met, 1 otherwise. The runs keep out of this machine's history and
# profile (XDG_STATE_HOME points into a temporary folder).
# $QUICK is empty or --quick: left unquoted on purpose so that empty means no argument.
# shellcheck disable=SC2086
set -eu
BIN=${1:-.build/release/mybro-bench}
RUNS=${RUNS:-10}
HISTORY=${HISTORY:-5}
KERNEL=${KERNEL:-kernel.exp}
SLOWDOWN=${SLOWDOWN:-20}
QUICK=${QUICK:-}
THRESHOLD=${THRESHOLD:-10}
command -v jq >/dev/null || { echo "compare_goal: jq is needed (make setup installs it)" >&2; exit 69; }
[ -x "$BIN" ] || { echo "compare_goal: $BIN is not built (swift build -c release --product mybro-bench)" >&2; exit 66; }

work=$(mktemp -d)
drift_pid=
# KEEP=1 leaves the runs' records in the folder for a look at what was flagged and why.
trap '[ "${KEEP:-0}" = 1 ] && echo "records kept in $work" >&2 || rm -rf "$work"; [ -z "$drift_pid" ] || kill "$drift_pid" 2>/dev/null' EXIT INT TERM
if [ "${DRIFT:-0}" = 1 ]; then
    # a busy loop in a subshell, 7 s on and 6 s off, until the trap kills it
    sh -c 'while :; do end=$(($(date +%s) + 7)); while [ "$(date +%s)" -lt "$end" ]; do :; done; sleep 6; done' &
    drift_pid=$!
fi
export XDG_STATE_HOME="$work/state"
unset MYBRO_BENCH_SLOWDOWN

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine makes runs noisier)"
start=$(date +%s)
h=1
while [ "$h" -lt "$HISTORY" ]; do
    "$BIN" $QUICK --format json -q >/dev/null || { echo "compare_goal: history run $h failed" >&2; exit 1; }
    h=$((h + 1))
done
"$BIN" $QUICK --format json --save "$work/base.jsonl" >/dev/null 2>"$work/base.err" || {
    echo "compare_goal: the baseline run failed:" >&2; cat "$work/base.err" >&2; exit 1; }
echo "baseline: $(grep -c '"type":"measure"' "$work/base.jsonl") figures, after $((HISTORY - 1)) earlier run(s), $(( $(date +%s) - start )) s in all"

false_regressions=0
flagged=0
below=0
improved=0
unconfirmed=0
by_peers=0
i=1
while [ "$i" -le "$RUNS" ]; do
    status=0
    "$BIN" $QUICK --format json --compare "$work/base.jsonl" --threshold "$THRESHOLD" \
        >"$work/run$i.jsonl" 2>"$work/run$i.err" || status=$?
    case $status in
        0) ;;
        1) false_regressions=$((false_regressions + 1))
           echo "run $i: exit 1: $(jq -r 'select(.type=="change" and .beyond_threshold) | "\(.key) \(.change_percent)%"' "$work/run$i.jsonl" | tr '\n' ' ')" ;;
        *) echo "run $i failed with $status:" >&2; cat "$work/run$i.err" >&2; exit 1 ;;
    esac
    flagged=$((flagged + $(jq -s '[.[] | select(.type=="change" and (.verdict=="regressed" or .verdict=="improved"))] | length' "$work/run$i.jsonl")))
    below=$((below + $(jq -s '[.[] | select(.type=="change" and .verdict=="regressed" and (.beyond_threshold|not))] | length' "$work/run$i.jsonl")))
    improved=$((improved + $(jq -s '[.[] | select(.type=="change" and .verdict=="improved")] | length' "$work/run$i.jsonl")))
    unconfirmed=$((unconfirmed + $(jq -s '[.[] | select(.type=="change" and .confirmed==false)] | length' "$work/run$i.jsonl")))
    by_peers=$((by_peers + $(jq -s '[.[] | select(.type=="change" and .by_peers==true)] | length' "$work/run$i.jsonl")))
    i=$((i + 1))
done
figures=$(grep -c '"type":"measure"' "$work/base.jsonl")
echo "repeated runs: $false_regressions false regression(s) in $RUNS runs (exit 1); $flagged flagged change(s) among $((figures * RUNS)) figure comparisons ($below regression(s) under the threshold, $unconfirmed of them past it at first but not when measured again; $improved improvement(s); $by_peers regression(s) judged against peers)"

status=0
MYBRO_BENCH_SLOWDOWN="$KERNEL=$SLOWDOWN" "$BIN" $QUICK --format json --compare "$work/base.jsonl" \
    --threshold "$THRESHOLD" >"$work/slow.jsonl" 2>"$work/slow.err" || status=$?
caught=$(jq -r --arg name "$KERNEL" 'select(.type=="change" and .name==$name and .beyond_threshold) | "\(.key): \(.baseline) -> \(.now) \(.unit), \(.change_percent)% (noise floor \(.noise_percent)%; against its peers \(.peer_change_percent)%, floor \(.peer_noise_percent)%, by_peers \(.by_peers)), again \(.recheck_change_percent)%"' "$work/slow.jsonl")
others=$(jq -r --arg name "$KERNEL" 'select(.type=="change" and .name!=$name and .beyond_threshold) | .key' "$work/slow.jsonl" | tr '\n' ' ')
echo "injected $SLOWDOWN % into $KERNEL: exit $status; ${caught:-not flagged}${others:+; also past the threshold: $others}"
# What the injection did, flagged or not: the medians of each size against the baseline's.
jq -rs --arg name "$KERNEL" --slurpfile base "$work/base.jsonl" '
    ([$base[] | select(.type=="measure" and .name==$name) | {key: (.n|tostring), value: .median}] | from_entries) as $old
    | .[] | select(.type=="measure" and .name==$name)
    | "  \(.name) n=\(.n): baseline median \($old[.n|tostring]), now \(.median) (\(((.median / $old[.n|tostring] - 1) * 1000 | round) / 10)%)"' \
    "$work/slow.jsonl"

if [ "$false_regressions" -eq 0 ] && [ "$status" -eq 1 ] && [ -n "$caught" ]; then
    echo "goal met: no false regression in $RUNS runs; the injected slowdown was caught"
else
    echo "goal NOT met"
    exit 1
fi
