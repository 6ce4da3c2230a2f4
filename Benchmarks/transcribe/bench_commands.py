#!/usr/bin/env python3
"""Short spoken commands: the default encoder mode against --full-window, time and WER.

Generates (or reuses) a tuning set and a held-out set of commands with make_commands_set.py,
runs mybro-transcribe over each set in several configurations and prints, per set:
agreement of each configuration's transcripts with --full-window's (exact after
normalisation), time per clip and its ratio to --full-window's, and WER against the spoken
text, with and without the coding prompt (contextual biasing).

    python3 Benchmarks/transcribe/bench_commands.py [--bin .build/release] [--threads 2]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def normalise(text):
    text = text.lower().replace("'", "")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(text.split())


def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[len(b)]


def wer(hypotheses, references):
    errors = sum(edit_distance(h.split(), r.split()) for h, r in zip(hypotheses, references))
    return errors / max(1, sum(len(r.split()) for r in references))


def load_manifest(directory):
    lines = open(os.path.join(directory, "manifest.tsv")).read().splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def transcribe(binary, files, arguments, threads):
    """Transcripts by file and wall time of one process over all files."""
    command = [binary, "--format", "json", "--threads", str(threads), *arguments, *files]
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:6])}… exited {result.returncode}: {result.stderr[-500:]}")
    texts = {path: "" for path in files}
    for line in result.stdout.splitlines():
        record = json.loads(line)
        if record.get("type") == "transcript":
            texts[record["file"]] = record.get("text", "")
    return texts, elapsed


def per_clip_seconds(binary, files, arguments, threads):
    """(transcripts, seconds per clip without the model load): the whole set minus one clip."""
    texts, total = transcribe(binary, files, arguments, threads)
    _, one = transcribe(binary, files[:1], arguments, threads)
    return texts, max(0.0, total - one) / max(1, len(files) - 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.environ.get("MYBRO_BIN_DIR", os.path.join(ROOT, ".build", "release")))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tune", help="tuning set directory (generated when missing)")
    parser.add_argument("--heldout", help="held-out set directory (generated when missing)")
    parser.add_argument("--count", type=int, default=120, help="clips per generated set")
    parser.add_argument("--config", action="append", default=[],
                        help="extra configuration NAME=ARGS to compare (e.g. 'margin5=--padding-margin 5')")
    parser.add_argument("--no-prompt", action="store_true", help="skip the biasing figures")
    parser.add_argument("--rounds", type=int, default=1,
                        help="time each configuration this many times, interleaved, and keep the fastest "
                             "(for a machine with other load)")
    args = parser.parse_args()
    binary = os.path.join(args.bin, "mybro-transcribe")
    if not os.path.exists(binary):
        sys.exit(f"{binary} is missing: run `swift build -c release` first")
    scratch = tempfile.mkdtemp(prefix="mybro-commands-")
    sets = []
    for name, directory, seed in [("tune", args.tune, 1), ("heldout", args.heldout, 7)]:
        directory = directory or os.path.join(scratch, name)
        if not os.path.exists(os.path.join(directory, "manifest.tsv")):
            subprocess.run([sys.executable, os.path.join(HERE, "make_commands_set.py"), "--split", name,
                            "--count", str(args.count), "--seed", str(seed), "--out", directory], check=True)
        sets.append((name, directory))

    configurations = [("default", [])]
    for extra in args.config:
        name, _, rest = extra.partition("=")
        configurations.append((name, rest.split()))
    if not args.no_prompt:
        configurations.append(("default+prompt", ["--workspace-prompt", ROOT]))
        configurations.append(("full+prompt", ["--full-window", "--workspace-prompt", ROOT]))

    for set_name, directory in sets:
        rows = load_manifest(directory)
        files = [os.path.join(directory, row["file"]) for row in rows]
        references = [normalise(row["text"]) for row in rows]
        seconds = sum(float(row["seconds"]) for row in rows) / len(rows)
        # Interleaved rounds: load from other work hits every configuration alike; the fastest
        # round of each is the one least disturbed.
        timed = {}
        for _ in range(max(1, args.rounds)):
            for name, arguments in [("full-window", ["--full-window"])] + configurations:
                texts, elapsed = per_clip_seconds(binary, files, arguments, args.threads)
                best = timed.get(name)
                timed[name] = (texts, elapsed if best is None else min(best[1], elapsed))
        full, full_time = timed["full-window"]
        full_norm = [normalise(full[f]) for f in files]
        print(f"== {set_name}: {len(files)} clips, mean {seconds:.2f} s ({directory})")
        print(f"{'configuration':<16} {'agree':>8} {'s/clip':>8} {'ratio':>6} {'WER':>7}")
        print(f"{'full-window':<16} {'-':>8} {full_time:8.3f} {1.0:6.2f} {100 * wer(full_norm, references):6.2f}%")
        for name, arguments in configurations:
            texts, elapsed = timed[name]
            norm = [normalise(texts[f]) for f in files]
            baseline = full_norm
            if name == "default+prompt":
                baseline = [normalise(t) for t in (full_prompt_texts(binary, files, args.threads))]
            agree = sum(a == b for a, b in zip(norm, baseline)) / len(files)
            print(f"{name:<16} {100 * agree:7.1f}% {elapsed:8.3f} {elapsed / full_time:6.2f} "
                  f"{100 * wer(norm, references):6.2f}%")
            if os.environ.get("MYBRO_SHOW_DIFFERENCES"):
                for f, a, b in zip(files, norm, baseline):
                    if a != b:
                        print(f"   {os.path.basename(f)}: {a!r} vs {b!r}")


_full_prompt_cache = {}


def full_prompt_texts(binary, files, threads):
    key = tuple(files)
    if key not in _full_prompt_cache:
        texts, _ = transcribe(binary, files, ["--full-window", "--workspace-prompt", ROOT], threads)
        _full_prompt_cache[key] = [texts[f] for f in files]
    return _full_prompt_cache[key]


if __name__ == "__main__":
    main()
