#!/usr/bin/env python3
"""Latency budget of the voice loop, and how often it cuts off a speaker who pauses.

1. Latency: spoken requests (made by mybro-say, so the exact end of speech is known) are fed
   to mybro-vad at real-time pace, 20 ms at a time, as a microphone would deliver them; this
   script relays the records between the stages (vad | transcribe | intent --backend rules |
   exec | say) and timestamps each one.
2. False cuts: sentences split at a word boundary with a pause of 300-900 ms inside, in
   several voices, plus complete short commands, through vad | transcribe | intent in real
   time. A false cut is an intent that comes before the speaker has finished the sentence.

Three configurations run: "before" is the loop without semantic endpointing (mybro-vad
--pause-ms 0, a 500 ms end silence) and without holding unfinished sentences (mybro-intent
--continuation-ms 0); "endpointing, 500 ms" adds semantic endpointing (a complete request acts
at a 200 ms pause, anything else waits for the 500 ms end silence); "after" is the loop as
`mybro listen` runs it: a 1000 ms end silence (LOOP_SILENCE_MS) for requests not known to be
complete, and a transcript that stops mid-sentence ("please build the") waits for the rest.

The paused sentences come in two sets: PAUSED, the set the hold was built against, and FRESH,
written afterwards and never tuned on, with pauses at other places, including after a first part
that is a complete request by itself (which no endpointing can tell from a finished request).

Usage: bench_latency.py [BIN_DIR] [ROUNDS]
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/release"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
RATE = 16000
LOOP_SILENCE_MS = 1000  # keep in step with mybro listen's --end-silence-ms default
# (label, mybro-vad arguments, mybro-intent arguments)
CONFIGURATIONS = [
    ("before (no endpointing)", ["--pause-ms", "0", "--silence-ms", "500"], ["--continuation-ms", "0"]),
    ("endpointing, 500 ms", ["--silence-ms", "500"], ["--continuation-ms", "0"]),
    ("after (mybro listen now)", ["--silence-ms", str(LOOP_SILENCE_MS)], []),
]
PHRASES = ["run the tests", "stop", "run the tests please"]
GAP_SECONDS = 3.0
# (first part, rest, pause in ms): split at a word boundary; none of the first parts is a
# complete request except where noted, as a speaker who stops to think mid-sentence would.
PAUSED = [
    ("run the", "tests", 400),
    ("can you", "show me the diff", 600),
    ("show me the", "last five commits", 300),
    ("please build the", "project in release mode", 800),
    ("could you", "run the linter", 900),
    ("what is the", "status of the build", 500),
    ("switch to", "the main branch", 700),
    ("undo the", "last change", 350),
]
FRESH = [
    ("delete the branch called", "login fix", 700),
    ("show me the diff of", "the readme file", 600),
    ("commit everything with", "the message fix typo", 800),
    ("run the tests and", "then build the project", 600),
    ("could you please", "run the formatter", 1000),
    ("switch to the", "develop branch", 900),
    ("I want to", "see the last three commits", 700),
    ("what changed in", "the last commit", 600),
    ("run the tests", "in release mode", 700),  # the first part is a whole request
    ("show me the git log", "for the readme", 800),  # likewise
]
VOICES = ["en-us", "en-gb-x-rp"]  # mybro-say does not take the bare "en-gb"
COMMANDS = ["run the tests", "stop", "git status", "undo that", "never mind", "what are you doing"]


def tool(name):
    path = os.path.join(BIN, name)
    if not os.access(path, os.X_OK):
        sys.exit(f"bench_latency: {path} not found; run `swift build -c release` first")
    return path


def speech(text, voice="en-us"):
    pcm = subprocess.run([tool("mybro-say"), "--voice", voice, "--output", "-", text], check=True,
                         capture_output=True).stdout
    samples = memoryview(pcm).cast("h")
    last = max(i for i, s in enumerate(samples) if abs(s) > 300)  # about -40 dBFS
    return pcm[:(last + 1) * 2], last + 1


def run_stream(stream, stages, env):
    """Feeds `stream` in real time through the stages; returns (start time, {type: [(t, record)]})
    for the records each stage wrote (the last stage's stdout is read as bytes)."""
    procs = [subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, bufsize=0)
             for argv in stages]
    seen = {}
    audio_chunks = []
    lock = threading.Lock()
    stage_of = {"utterance": 0, "pause": 0, "transcript": 1, "partial": 1, "intent": 2, "say": 3}

    def relay(index):
        source = procs[index].stdout
        destination = procs[index + 1].stdin
        for line in source:
            now = time.perf_counter()
            record = json.loads(line)
            kind = record.get("type")
            with lock:
                if stage_of.get(kind) == index:
                    seen.setdefault(kind, []).append((now, record))
            destination.write(line)
        destination.close()

    def last_reader():
        out = procs[-1].stdout
        if len(stages) == 5:
            while True:
                chunk = out.read(4096)
                if not chunk:
                    break
                audio_chunks.append(time.perf_counter())
        else:
            for line in out:
                now = time.perf_counter()
                record = json.loads(line)
                if record.get("type") == "intent":
                    with lock:
                        seen.setdefault("intent", []).append((now, record))

    threads = [threading.Thread(target=relay, args=(i,), daemon=True) for i in range(len(stages) - 1)]
    threads.append(threading.Thread(target=last_reader, daemon=True))
    for thread in threads:
        thread.start()
    chunk = RATE // 50 * 2
    start = time.perf_counter()
    for offset in range(0, len(stream), chunk):
        delay = start + offset / 2 / RATE - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        procs[0].stdin.write(stream[offset:offset + chunk])
    procs[0].stdin.close()
    for proc in procs:
        proc.wait()
    for thread in threads:
        thread.join(timeout=5)
    return start, seen, audio_chunks


def latency(label, vad_args, intent_args, workspace, env, clips):
    stream = bytearray(b"\0\0" * RATE)
    ends = []
    for pcm, end in clips:
        ends.append((len(stream) // 2 + end) / RATE)
        stream += pcm + b"\0\0" * int(RATE * GAP_SECONDS)
    stages = [
        [tool("mybro-vad")] + vad_args,
        [tool("mybro-transcribe")],
        [tool("mybro-intent"), "--backend", "rules", "--cwd", workspace] + intent_args,
        [tool("mybro-exec"), "--cwd", workspace, "--no-history"],
        [tool("mybro-say"), "--output", "-"],
    ]
    start, seen, audio_chunks = run_stream(stream, stages, env)
    intents = [t for t, _ in seen.get("intent", [])]
    actions = [r.get("action") for _, r in seen.get("intent", [])]
    says = [t for t, _ in seen.get("say", [])]
    replies = {}
    for said in says:
        request = max((i for i, t in enumerate(intents) if t <= said), default=None)
        first = next((t for t in audio_chunks if t >= said), None)
        if request is not None and first is not None and request not in replies:
            replies[request] = first
    n = len(ends)
    if len(intents) != n:
        print(f"warning: {n} requests, {len(intents)} intents: latencies are matched in order and may be off",
              file=sys.stderr)
    end_times = [start + e for e in ends]
    rows = [
        ("end of speech -> utterance (the VAD's full end silence)",
         [(t - e) * 1000 for (t, _), e in zip(seen.get("utterance", []), end_times)]),
        ("end of speech -> intent", [(t - e) * 1000 for t, e in zip(intents, end_times)]),
        ("end of speech -> first reply sample (requests with a reply)",
         [(replies[i] - end_times[i]) * 1000 for i in sorted(replies)]),
    ]
    print(f"{label}: {n} spoken requests in real time (intents: {', '.join(a or '?' for a in actions)})")
    for name, values in rows:
        if values:
            print(f"  {name:60} {statistics.median(values):7.0f}ms {max(values):7.0f}ms")
    return statistics.median(rows[1][1]) if rows[1][1] else float("nan")


def false_cuts(label, vad_args, intent_args, workspace, env, paused, commands):
    """Intents before the end of each paused sentence; and how soon commands are acted on."""
    stream = bytearray(b"\0\0" * RATE)
    items = []  # (start, end of speech, kind)
    for pcm, kind in paused + commands:
        begin = len(stream) // 2 / RATE
        items.append((begin, begin + len(pcm) / 2 / RATE, kind))
        stream += pcm + b"\0\0" * int(RATE * GAP_SECONDS)
    stages = [
        [tool("mybro-vad")] + vad_args,
        [tool("mybro-transcribe")],
        [tool("mybro-intent"), "--backend", "rules", "--cwd", workspace, "--no-none-reply"] + intent_args,
    ]
    start, seen, _ = run_stream(stream, stages, env)
    cut = 0
    whole = 0
    command_latency = []
    sentence_latency = []
    for index, (begin, end, kind) in enumerate(items):
        upto = items[index + 1][0] if index + 1 < len(items) else float("inf")
        mine = [(t - start, r) for t, r in seen.get("intent", []) if begin <= t - start < upto]
        if kind == "paused" and any(t < end for t, _ in mine):
            cut += 1
            if os.environ.get("BENCH_VERBOSE"):
                heard = "; ".join(f"{r.get('transcript')!r} at {t - end:+.2f}s" for t, r in mine)
                print(f"  cut: {heard}")
        if kind == "paused" and len(mine) == 1 and mine[0][0] >= end:
            whole += 1  # one intent, for the whole sentence
            sentence_latency.append((mine[0][0] - end) * 1000)
        if kind == "command" and mine:
            command_latency.append((min(t for t, _ in mine) - end) * 1000)
    total = len(paused)
    print(f"{label}: {cut} of {total} sentences with a mid-sentence pause cut off ({100 * cut / total:.0f} %), "
          f"{whole} acted on whole (end of speech -> intent median "
          f"{statistics.median(sentence_latency) if sentence_latency else float('nan'):.0f} ms); "
          f"commands: end of speech -> intent median "
          f"{statistics.median(command_latency) if command_latency else float('nan'):.0f} ms "
          f"({len(command_latency)} of {len(commands)})")
    return cut, total


def main():
    workspace = tempfile.mkdtemp(prefix="mybro-bench-")
    with open(os.path.join(workspace, "Makefile"), "w") as makefile:
        makefile.write("test:\n\t@echo '4 tests passed'\nbuild:\n\t@echo built\n")
    env = dict(os.environ, XDG_STATE_HOME=workspace)
    clips = [speech(p) for _ in range(ROUNDS) for p in PHRASES]
    def paused_set(sentences):
        clips = []
        for voice in VOICES:
            for first, rest, pause_ms in sentences:
                a, _ = speech(first, voice)
                b, _ = speech(rest, voice)
                clips.append((a + b"\0\0" * (RATE * pause_ms // 1000) + b, "paused"))
        return clips

    paused, fresh = paused_set(PAUSED), paused_set(FRESH)
    commands = [(speech(c, voice)[0], "command") for voice in VOICES for c in COMMANDS]
    summary = []
    only = os.environ.get("BENCH_ONLY")  # e.g. "after": only configurations whose label starts so
    for label, vad_args, intent_args in CONFIGURATIONS:
        if only and not label.startswith(only):
            continue
        median = latency(label, vad_args, intent_args, workspace, env, clips)
        cut, total = false_cuts(label + ", first set", vad_args, intent_args, workspace, env, paused, commands)
        fresh_cut, fresh_total = false_cuts(label + ", fresh set", vad_args, intent_args, workspace, env, fresh, [])
        summary.append((label, median, cut, total, fresh_cut, fresh_total))
    print()
    print(f"{'':30} {'end of speech -> intent (median)':>34} {'false cuts, first set':>22} {'fresh set':>14}")
    for label, median, cut, total, fresh_cut, fresh_total in summary:
        print(f"{label:30} {median:32.0f}ms {cut:8} of {total} ({100 * cut / total:3.0f} %) "
              f"{fresh_cut:4} of {fresh_total} ({100 * fresh_cut / fresh_total:3.0f} %)")
    print("goal: under 350 ms, and no more false cuts than before")


main()
