#!/usr/bin/env python3
"""Equivalence of mybro-transcribe with faster-whisper, and WER of both.

Same settings on both sides: Whisper tiny.en (the same model directory), greedy decoding,
no temperature fallback, no timestamps, float32 (faster-whisper's compute_type float32).
Prints the share of recordings whose transcripts are identical, each side's WER against the
references (OpenAI's English normalizer, corpus-level), and every difference — for
mybro-transcribe --full-window (the equivalence setting: a whole 30 s encoder window, as
faster-whisper) and for its default (encoder over the audio with cached padding states).

  Benchmarks/transcribe/evaluate.py [--set DIR]... [--mybro-args=--some-option] [--compute-type int8]

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
    parser.add_argument("--beam-size", type=int, default=1, help="beam size on both sides")
    parser.add_argument("--mybro-args", default="", help="extra mybro-transcribe options for both runs")
    args = parser.parse_args()
    sets = args.sets or [os.path.join(common.DATA, "speech"), os.path.join(common.DATA, "commands")]

    from faster_whisper import WhisperModel
    model = WhisperModel(common.model_dir(), device="cpu", compute_type=args.compute_type, cpu_threads=args.threads)
    configurations = [("mybro --full-window", ["--full-window"]), ("mybro default", [])]
    streams = [common.StreamProcess(["--no-timestamps", "--no-fallback", "--beam-size", str(args.beam_size), *options, *shlex.split(args.mybro_args)], threads=args.threads)
               for _, options in configurations]
    normalize = common.normalizer()
    for directory in sets:
        data = common.load_set(directory)
        refs, theirs = [], []
        ours = [[] for _ in configurations]
        for name, audio, reference in data:
            segments, _ = model.transcribe(audio, language="en", beam_size=args.beam_size, temperature=0.0,
                                           without_timestamps=True)
            refs.append(reference)
            theirs.append(" ".join(s.text.strip() for s in segments).strip())
            for index, stream in enumerate(streams):
                ours[index].append(stream.transcribe(audio)[0])
        fw_wer = common.wer([normalize(r) for r in refs], [normalize(h) for h in theirs])
        print(f"{os.path.basename(directory)}: {len(data)} recordings, WER faster-whisper {100 * fw_wer:.2f} %")
        for (label, _), hypotheses in zip(configurations, ours):
            same = sum(1 for a, b in zip(hypotheses, theirs) if a == b)
            my_wer = common.wer([normalize(r) for r in refs], [normalize(h) for h in hypotheses])
            print(f"  {label}: identical {same}/{len(data)} ({100 * same / len(data):.1f} %), WER {100 * my_wer:.2f} % "
                  f"({100 * (my_wer - fw_wer):+.2f} points)")
            for (name, _, _), mine, fw in zip(data, hypotheses, theirs):
                if mine != fw:
                    print(f"    differs {name}:\n      faster-whisper: {fw}\n      mybro:          {mine}")
    for stream in streams:
        stream.close()

if __name__ == "__main__":
    main()
