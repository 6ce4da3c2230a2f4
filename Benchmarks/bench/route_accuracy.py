#!/usr/bin/env python3
"""How close `mybro-bench route`'s local estimates come to the measured time on this machine.

It saves a real profile (`mybro-bench --save`, into a scratch XDG_STATE_HOME so the user's own
profile is untouched), then for workloads that can run here compares route's local estimate
(est_seconds of the local route_option) with the time measured in the same run:
  - kernels at sizes the profile did not measure (`mybro-kernel bench NAME --sizes N`, its
    best of several runs against route --kernel NAME --n N);
  - the same kernels described only by --flops/--bytes (route's roofline from the triad);
  - a compute-bound --flops/--bytes job: numpy's float32 matmul (OpenBLAS), against sgemm;
  - speech through mybro-transcribe (tiny.en), without the model load (the files twice in one run
    minus once, as mybro-bench measures transcribe.rtf): about a minute of recorded speech from
    ../shared/data/speech when it is there, and 15 s that mybro-say speaks (which drives tiny.en
    into a repetition loop: a figure of its own).
Ratio = estimate / measured; the goal (issue 13) is within 25 % (0.8 to 1.25).
Rounds repeat the measurements; the median ratio and its range are printed.

usage: route_accuracy.py [--bin .build/release] [--rounds 3] [--quick]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=kw.pop("text", True), **kw)


def route_estimate(binary, profile, args):
    out = run([binary, "route", *args, "--profile", profile, "--format", "json"], stdin=subprocess.DEVNULL).stdout
    for line in out.splitlines():
        record = json.loads(line)
        if record.get("type") == "route_option" and record.get("where") == "local":
            if record.get("est_seconds") is None:
                sys.exit(f"route gave no local estimate for {args}: {record.get('why_not')}")
            return record["est_seconds"], record.get("basis", "")
    sys.exit(f"no local route_option for {args}")


def kernel_seconds(kernel_binary, name, n):
    out = run([kernel_binary, "bench", name, "--sizes", str(n), "--format", "json"]).stdout
    for line in out.splitlines():
        record = json.loads(line)
        if record.get("type") == "bench" and record.get("device") == "cpu":
            return record["seconds"]
    sys.exit(f"mybro-kernel bench {name} printed no cpu figure")


def matmul_seconds(size, repetitions=5):
    import numpy
    a = numpy.random.default_rng(1).random((size, size), dtype=numpy.float32)
    b = numpy.random.default_rng(2).random((size, size), dtype=numpy.float32)
    a @ b  # warm the thread pool
    best = []
    for _ in range(repetitions):
        start = time.perf_counter()
        a @ b
        best.append(time.perf_counter() - start)
    return statistics.median(best)


def transcribe_seconds(bindir, model, files):
    """Processing time of `files` without the model load: (files twice) minus (files once)."""
    def timed(arguments):
        start = time.perf_counter()
        run([f"{bindir}/mybro-transcribe", "--model", model, "--format", "json", *arguments])
        return time.perf_counter() - start
    return timed(files * 2) - timed(files)


def wav_seconds(path):
    import wave
    with wave.open(path) as w:
        return w.getnframes() / w.getframerate()


def recorded_speech(minimum=60):
    """About a minute of real recordings (16 kHz mono WAV) from ../shared/data/speech, or []."""
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/data/speech")
    if not os.path.isdir(folder):
        folder = "/work/shared/data/speech"
    if not os.path.isdir(folder):
        return [], 0
    chosen, total = [], 0.0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".wav") or "_8k" in name:
            continue
        chosen.append(os.path.join(folder, name))
        total += wav_seconds(chosen[-1])
        if total >= minimum:
            break
    return chosen, total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/release")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="profile with mybro-bench --quick")
    options = parser.parse_args()
    bench = f"{options.bin}/mybro-bench"
    kernel = f"{options.bin}/mybro-kernel"
    data = os.environ.get("XDG_DATA_HOME", os.path.expanduser("~/.local/share"))
    model = f"{data}/mybro/models/whisper-tiny.en"
    with tempfile.TemporaryDirectory(prefix="route-accuracy-") as scratch:
        env = dict(os.environ, XDG_STATE_HOME=f"{scratch}/state")
        profile = f"{scratch}/profile.jsonl"
        print("saving a profile: mybro-bench" + (" --quick" if options.quick else "") + " --save", file=sys.stderr)
        run([bench, *(["--quick"] if options.quick else []), "--format", "json", "--save", profile], env=env)
        speech = f"{scratch}/speech.wav"
        text = " ".join(["The quick brown fox jumps over the lazy dog while the compiler checks every file."] * 3)
        run([f"{options.bin}/mybro-say", text, "--output", speech, "--wav"])
        said = wav_seconds(speech)
        recordings, recorded = recorded_speech()
        workloads = []
        for name, n in [("sum", 100_000_000), ("exp", 100_000_000), ("add", 50_000_000), ("variance", 100_000_000)]:
            workloads.append((f"--kernel {name} --n {n}", ["--kernel", name, "--n", str(n)],
                              lambda name=name, n=n: kernel_seconds(kernel, name, n)))
        for name, n, flops, bytes_ in [("sum", 100_000_000, 1, 4), ("add", 50_000_000, 1, 12)]:
            workloads.append((f"--flops {flops * n:.0e} --bytes {bytes_ * n:.0e} ({name})",
                              ["--flops", str(flops * n), "--bytes", str(bytes_ * n)],
                              lambda name=name, n=n: kernel_seconds(kernel, name, n)))
        size = 3072
        workloads.append((f"--flops 2·{size}³ --bytes 3·{size}²·4 (numpy matmul)",
                          ["--flops", str(2 * size ** 3), "--bytes", str(3 * size * size * 4)],
                          lambda: matmul_seconds(size)))
        if os.path.exists(f"{model}/model.bin"):
            if recordings:
                workloads.append((f"--transcribe {recorded / 3600:.4f} --model tiny.en ({recorded:.0f} s recorded)",
                                  ["--transcribe", f"{recorded / 3600:.6f}", "--model", "tiny.en"],
                                  lambda: transcribe_seconds(options.bin, model, recordings)))
            workloads.append((f"--transcribe {said / 3600:.4f} --model tiny.en ({said:.0f} s of mybro-say)",
                              ["--transcribe", f"{said / 3600:.6f}", "--model", "tiny.en"],
                              lambda: transcribe_seconds(options.bin, model, [speech])))
        else:
            print(f"no model at {model}: the transcription row is left out", file=sys.stderr)
        print(f"{'workload':58} {'estimate':>10} {'measured':>10} {'ratio':>7} {'range':>13}  basis")
        within = 0
        for label, args, measure in workloads:
            estimate, basis = route_estimate(bench, profile, args)
            ratios = []
            measured_all = []
            for _ in range(options.rounds):
                measured = measure()
                measured_all.append(measured)
                ratios.append(estimate / measured)
            ratio = statistics.median(ratios)
            within += 0.8 <= ratio <= 1.25
            print(f"{label:58} {estimate:10.4g} {statistics.median(measured_all):10.4g} {ratio:7.2f} "
                  f"{min(ratios):6.2f}–{max(ratios):<6.2f}  {basis}")
        print(f"\n{within} of {len(workloads)} estimates within 25 % of the measured time "
              f"(median of {options.rounds} rounds; the machine may be shared)")


if __name__ == "__main__":
    main()
