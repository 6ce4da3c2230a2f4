#!/usr/bin/env python3
"""Latency budget of the voice loop: from the end of each spoken request to its utterance,
transcript and intent records and to the first audio sample of the reply.

Spoken requests (made by mybro-say, so the exact end of speech is known) are fed to mybro-vad
at real-time pace, 20 ms at a time, as a microphone would deliver them; this script relays the
records between the stages (vad | transcribe | intent --backend rules | exec | say) and
timestamps each one. The VAD's end-of-speech wait (--silence-ms of silence before it may
decide that speech ended) is reported on its own line, and subtracted in "after the wait".

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
SILENCE_MS = 500  # mybro-vad's default --silence-ms: the wait it needs before it may end speech
PHRASES = ["run the tests", "stop", "run the tests please"]
GAP_SECONDS = 3.5


def tool(name):
    path = os.path.join(BIN, name)
    if not os.access(path, os.X_OK):
        sys.exit(f"bench_latency: {path} not found; run `swift build -c release` first")
    return path


def speech(text):
    pcm = subprocess.run([tool("mybro-say"), "--output", "-", text], check=True, capture_output=True).stdout
    samples = memoryview(pcm).cast("h")
    last = max(i for i, s in enumerate(samples) if abs(s) > 300)  # about -40 dBFS
    return pcm, last + 1


def main():
    workspace = tempfile.mkdtemp(prefix="mybro-bench-")
    with open(os.path.join(workspace, "Makefile"), "w") as makefile:
        makefile.write("test:\n\t@echo '4 tests passed'\nbuild:\n\t@echo built\n")

    stream = bytearray(b"\0\0" * RATE)
    ends = []
    for _ in range(ROUNDS):
        for phrase in PHRASES:
            pcm, end = speech(phrase)
            ends.append((len(stream) // 2 + end) / RATE)
            stream += pcm + b"\0\0" * int(RATE * GAP_SECONDS)

    env = dict(os.environ, XDG_STATE_HOME=workspace)
    stages = [
        [tool("mybro-vad")],
        [tool("mybro-transcribe")],
        [tool("mybro-intent"), "--backend", "rules"],
        [tool("mybro-exec"), "--cwd", workspace, "--no-history"],
        [tool("mybro-say"), "--output", "-"],
    ]
    procs = [subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, bufsize=0)
             for argv in stages]
    seen = {"utterance": [], "transcript": [], "intent": [], "say": []}
    intents = []
    lock = threading.Lock()

    def relay(index):
        source = procs[index].stdout
        destination = procs[index + 1].stdin
        for line in source:
            now = time.perf_counter()
            record = json.loads(line)
            kind = record.get("type")
            with lock:
                if kind in seen and index == stage_of[kind]:
                    seen[kind].append(now)
                    if kind == "intent":
                        intents.append(record.get("action"))
            destination.write(line)
        destination.close()

    stage_of = {"utterance": 0, "transcript": 1, "intent": 2, "say": 3}

    audio_chunks = []

    def audio_reader():
        out = procs[-1].stdout
        while True:
            chunk = out.read(4096)
            if not chunk:
                break
            audio_chunks.append(time.perf_counter())

    threads = [threading.Thread(target=relay, args=(i,), daemon=True) for i in range(len(stages) - 1)]
    threads.append(threading.Thread(target=audio_reader, daemon=True))
    for thread in threads:
        thread.start()

    # Feed the VAD like a microphone: 20 ms every 20 ms.
    chunk = RATE // 50 * 2
    start = time.perf_counter()
    for offset in range(0, len(stream), chunk):
        due = start + offset / 2 / RATE
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        procs[0].stdin.write(stream[offset:offset + chunk])
    procs[0].stdin.close()
    for proc in procs:
        proc.wait()
    for thread in threads:
        thread.join(timeout=5)

    # A reply is the first audio after a `say` record; it answers the latest request whose
    # intent came before that record (a "stop" with nothing running says nothing).
    replies = {}
    for said in seen["say"]:
        request = max((i for i, t in enumerate(seen["intent"]) if t <= said), default=None)
        first = next((t for t in audio_chunks if t >= said), None)
        if request is not None and first is not None and request not in replies:
            replies[request] = first
    n = len(ends)
    if len(seen["utterance"]) != n or len(seen["intent"]) != n:
        print(f"warning: {n} requests, {len(seen['utterance'])} utterances, {len(seen['intent'])} intents: "
              "latencies are matched in order and may be off", file=sys.stderr)
    end_times = [start + e for e in ends]

    def after_end(times):
        return [(t - e) * 1000 for t, e in zip(times, end_times)]

    rows = [
        ("end of speech -> utterance (includes the VAD's wait)", after_end(seen["utterance"])),
        ("end of speech -> transcript", after_end(seen["transcript"])),
        ("end of speech -> intent", after_end(seen["intent"])),
        ("end of speech -> first reply sample (requests with a reply)",
         [(replies[i] - end_times[i]) * 1000 for i in sorted(replies)]),
    ]
    utterance_to_intent = [(i - u) * 1000 for u, i in zip(seen["utterance"], seen["intent"])]
    print(f"voice loop latency, {n} spoken requests fed in real time, offline intent backend "
          f"(intents: {', '.join(a or '?' for a in intents)})")
    print(f"{'':62} {'median':>8} {'worst':>8}")
    for label, values in rows:
        if values:
            print(f"{label:62} {statistics.median(values):7.0f}ms {max(values):7.0f}ms")
    waits = [v - SILENCE_MS for v in rows[2][1]]
    if waits:
        print(f"{'end of speech -> intent, after the VAD wait of ' + str(SILENCE_MS) + ' ms':62} "
              f"{statistics.median(waits):7.0f}ms {max(waits):7.0f}ms  (goal: under 500 ms)")
    if utterance_to_intent:
        print(f"{'utterance -> intent (transcription + understanding)':62} "
              f"{statistics.median(utterance_to_intent):7.0f}ms {max(utterance_to_intent):7.0f}ms")


main()
