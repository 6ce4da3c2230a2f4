#!/usr/bin/env python3
"""Speed of mybro-transcribe beside faster-whisper, in one run, with ratios.

Runs shared/bench/bench_faster_whisper.py for the anchor configuration (default int8,
greedy, no timestamps: faster-whisper's fastest) in its own process, then mybro-transcribe
with the same model, clips and thread count, and prints: latency for a ~3 s and a ~10 s
clip with the model loaded (median of 5 after a warm-up), real-time factor over the speech
set, model load time, peak RSS, and WER. Ratios are mybro / faster-whisper (below 1: faster).

  Benchmarks/transcribe/bench.py [--threads 2] [--anchor int8] [--mybro-args=--full-window]

mybro's latency is measured through its stream mode (an utterance record in, the transcript
record out), its load time as the whole run of `mybro-transcribe --raw < /dev/null` (process
start included, so it is pessimistic against faster-whisper's in-process figure).
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

LATENCY_FILES = [("~3s", "speech/librivox_sns_0880.wav"), ("~10s", "speech/lj_LJ001-0001.wav")]


def measure_mybro(threads, extra):
    import soundfile as sf
    result = {}
    loads = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([common.binary(), "--raw", "--threads", str(threads), *extra], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, check=True)
        loads.append(time.perf_counter() - start)
    result["load_s"] = statistics.median(loads)
    stream = common.StreamProcess(["--no-timestamps", *extra], threads=threads)
    stream.transcribe(__import__("numpy").zeros(16000, dtype="float32"))  # warm-up
    latency = {}
    for label, relative in LATENCY_FILES:
        audio, _ = sf.read(os.path.join(common.DATA, relative), dtype="float32")
        stream.transcribe(audio)
        times = [stream.transcribe(audio)[1] for _ in range(5)]
        latency[label] = statistics.median(times)
    result["latency"] = latency
    data = common.load_set(os.path.join(common.DATA, "speech"))
    audio_seconds = sum(len(a) for _, a, _ in data) / 16000
    start = time.perf_counter()
    hypotheses = [stream.transcribe(audio)[0] for _, audio, _ in data]
    result["rtf"] = (time.perf_counter() - start) / audio_seconds
    normalize = common.normalizer()
    result["wer"] = common.wer([normalize(r) for _, _, r in data], [normalize(h) for h in hypotheses])
    result["peak_rss_mb"] = stream.peak_rss_mb()
    stream.close()
    return result


def measure_anchor(compute_type, threads):
    script = os.path.join(common.SHARED, "bench", "bench_faster_whisper.py")
    out = subprocess.run([sys.executable, script, "--config", f"{compute_type},1,1,{threads}"],
                         capture_output=True, text=True, check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"}).stdout
    raw = json.loads(out.strip().splitlines()[-1])
    return {"load_s": raw["load_first_s"], "latency": {k: raw["latency"][k]["median_s"] for k, _ in LATENCY_FILES},
            "rtf": raw["real"]["rtf"], "wer": raw["real"]["wer_whisper_norm"], "peak_rss_mb": raw["peak_rss_mb"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--anchor", default="int8", help="faster-whisper compute type")
    parser.add_argument("--mybro-args", default="")
    args = parser.parse_args()
    extra = shlex.split(args.mybro_args)
    print(f"faster-whisper {args.anchor} greedy vs mybro-transcribe {' '.join(extra)}, {args.threads} threads ...",
          file=sys.stderr, flush=True)
    anchor = measure_anchor(args.anchor, args.threads)
    mybro = measure_mybro(args.threads, extra)
    rows = [("latency ~3 s clip (s)", anchor["latency"]["~3s"], mybro["latency"]["~3s"]),
            ("latency ~10 s clip (s)", anchor["latency"]["~10s"], mybro["latency"]["~10s"]),
            ("real-time factor, speech set", anchor["rtf"], mybro["rtf"]),
            ("model load (s)", anchor["load_s"], mybro["load_s"]),
            ("peak RSS (MB)", anchor["peak_rss_mb"], mybro["peak_rss_mb"]),
            ("WER speech set (%)", 100 * anchor["wer"], 100 * mybro["wer"])]
    print(f"| figure | faster-whisper {args.anchor} | mybro {' '.join(extra)} | ratio |")
    print("|---|---|---|---|")
    for name, theirs, ours in rows:
        print(f"| {name} | {theirs:.3f} | {ours:.3f} | {ours / theirs:.2f} |")


if __name__ == "__main__":
    main()
