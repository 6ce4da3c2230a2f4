#!/usr/bin/env python3
"""mybro-say latency: a line in -> first audio sample out, and an interrupt -> silence.

Anchor, measured in the same run: the espeak-ng command line's time to its first audio byte
on the same sentence (`espeak-ng --stdout`), which includes its start-up, so mybro-say is
timed both as a fresh process and as a running pipeline stage.
"""
import json
import os
import statistics
import subprocess
import sys
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/release"
SAY = os.path.join(BIN, "mybro-say")
SENTENCE = "The tests passed, forty two of forty two."
LONG = " ".join(["This reply goes on for a long time so that it can be interrupted."] * 40)
RUNS = 15


def first_byte_latency(argv, stdin_line=None, header=0):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if stdin_line is not None:
        proc.stdin.write(stdin_line.encode())
        proc.stdin.flush()
    proc.stdout.read(header + 2)
    elapsed = time.perf_counter() - start
    proc.stdout.read()
    proc.stdin.close()
    proc.wait()
    return elapsed


def stage_latency():
    """mybro-say already running in a pipeline: line written -> first sample read."""
    proc = subprocess.Popen([SAY, "--output", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, bufsize=0)
    latencies = []
    for _ in range(RUNS):
        line = json.dumps({"type": "say", "text": SENTENCE}) + "\n"
        start = time.perf_counter()
        proc.stdin.write(line.encode())
        proc.stdout.read(2)
        latencies.append(time.perf_counter() - start)
        # Drain this reply (about 2.5 s of audio) before the next one.
        expected = 0
        os.set_blocking(proc.stdout.fileno(), False)
        quiet_since = time.perf_counter()
        while time.perf_counter() - quiet_since < 0.3:
            chunk = proc.stdout.read(65536)
            if chunk:
                expected += len(chunk)
                quiet_since = time.perf_counter()
            else:
                time.sleep(0.005)
        os.set_blocking(proc.stdout.fileno(), True)
    proc.stdin.close()
    proc.wait()
    return latencies


def interrupt_latency():
    """A long reply is being made; an interrupt record arrives; time until the output stops."""
    results = []
    for _ in range(RUNS):
        proc = subprocess.Popen([SAY, "--output", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, bufsize=0)
        proc.stdin.write((json.dumps({"type": "say", "text": LONG}) + "\n").encode())
        proc.stdout.read(3200)  # 100 ms of audio: it is speaking
        start = time.perf_counter()
        proc.stdin.write(b'{"type":"interrupt"}\n')
        proc.stdin.close()
        produced = 0
        last = start
        while True:
            chunk = proc.stdout.read(4096)
            if not chunk:
                break
            produced += len(chunk)
            last = time.perf_counter()
        proc.wait()
        results.append((last - start, time.perf_counter() - start, produced / 32000))
    return results


def median_ms(values):
    return statistics.median(values) * 1000


def main():
    if not os.access(SAY, os.X_OK):
        sys.exit(f"bench_say: {SAY} not found; run `swift build -c release` first")
    espeak = [first_byte_latency(["espeak-ng", "--stdout", SENTENCE], header=44) for _ in range(RUNS)]
    fresh = [first_byte_latency([SAY, "--output", "-", SENTENCE]) for _ in range(RUNS)]
    stage = stage_latency()
    interrupts = interrupt_latency()
    last_sample = [r[0] for r in interrupts]
    to_exit = [r[1] for r in interrupts]
    print(f"mybro-say, {RUNS} runs each, medians (worst)")
    print(f"  anchor espeak-ng --stdout, start to first sample: {median_ms(espeak):7.1f} ms ({max(espeak)*1000:.1f})")
    print(f"  mybro-say as a new process, start to first sample: {median_ms(fresh):7.1f} ms ({max(fresh)*1000:.1f})"
          f"  ratio to espeak-ng {statistics.median(fresh)/statistics.median(espeak):.2f}")
    print(f"  mybro-say running, say line to first sample: {median_ms(stage):7.1f} ms ({max(stage)*1000:.1f})")
    print(f"  interrupt record to last sample out: {median_ms(last_sample):7.1f} ms ({max(last_sample)*1000:.1f})")
    print(f"  interrupt record to process exit: {median_ms(to_exit):7.1f} ms ({max(to_exit)*1000:.1f})")
    print(f"  audio after the interrupt: {statistics.median([r[2] for r in interrupts])*1000:.0f} ms median"
          " (made ahead of real time and already in the pipe)")


main()
