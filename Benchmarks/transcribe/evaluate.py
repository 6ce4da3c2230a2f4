#!/usr/bin/env python3
"""Equivalence of mybro-transcribe with faster-whisper, and WER of both.

Same settings on both sides: Whisper tiny.en (the same model directory), greedy decoding,
no temperature fallback, no timestamps, float32 (faster-whisper's compute_type float32).
Prints the share of recordings whose transcripts are identical, each side's WER against the
references (OpenAI's English normalizer, corpus-level), and every difference.

  Benchmarks/transcribe/evaluate.py [--set DIR]... [--mybro-args "--fit-window"] [--compute-type int8]

DIR defaults to shared/data/speech and shared/data/commands; any folder with a manifest.tsv
(file, reference_text) works, e.g. recordings regenerated with a new seed. Needs the anchor
venv (shared/bench/README.md) and a release build.
"""
import argparse
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", action="append", dest="sets")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--compute-type", default="float32")
    parser.add_argument("--mybro-args", default="", help="extra mybro-transcribe options, e.g. --fit-window")
    args = parser.parse_args()
    sets = args.sets or [os.path.join(common.DATA, "speech"), os.path.join(common.DATA, "commands")]

    from faster_whisper import WhisperModel
    model = WhisperModel(common.model_dir(), device="cpu", compute_type=args.compute_type, cpu_threads=args.threads)
    mybro = common.StreamProcess(["--no-timestamps", *shlex.split(args.mybro_args)], threads=args.threads)
    normalize = common.normalizer()
    total_same = total = 0
    for directory in sets:
        data = common.load_set(directory)
        refs, ours, theirs, same = [], [], [], 0
        for name, audio, reference in data:
            segments, _ = model.transcribe(audio, language="en", beam_size=1, temperature=0.0,
                                           without_timestamps=True)
            fw = " ".join(s.text.strip() for s in segments).strip()
            mine, _ = mybro.transcribe(audio)
            refs.append(reference)
            theirs.append(fw)
            ours.append(mine)
            if mine == fw:
                same += 1
            else:
                print(f"  differs {name}:\n    faster-whisper: {fw}\n    mybro:          {mine}")
        total += len(data)
        total_same += same
        fw_wer = common.wer([normalize(r) for r in refs], [normalize(h) for h in theirs])
        my_wer = common.wer([normalize(r) for r in refs], [normalize(h) for h in ours])
        print(f"{os.path.basename(directory)}: {len(data)} recordings, identical {same}/{len(data)} "
              f"({100 * same / len(data):.1f} %), WER faster-whisper {100 * fw_wer:.2f} %, "
              f"mybro {100 * my_wer:.2f} % (difference {100 * (my_wer - fw_wer):+.2f} points)")
    mybro.close()
    print(f"all: identical {total_same}/{total} ({100 * total_same / total:.1f} %)")


if __name__ == "__main__":
    main()
