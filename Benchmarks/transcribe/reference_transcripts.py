#!/usr/bin/env python3
"""faster-whisper's transcripts of a set of recordings, as JSON Lines on stdout.

Same settings as mybro-transcribe's equivalence check: tiny.en, greedy, no temperature
fallback, float32 (or --compute-type), timestamps off unless --timestamps.
Usage: reference_transcripts.py [--model DIR] [--threads N] FILE...
Needs the anchor venv of shared/bench/README.md (faster-whisper, soundfile).
"""
import argparse
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.environ.get("MYBRO_MODEL") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "mybro/models/whisper-tiny.en"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--compute-type", default="float32")
    ap.add_argument("--timestamps", action="store_true")
    ap.add_argument("--beam-size", type=int, default=1)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    import soundfile as sf
    from faster_whisper import WhisperModel
    model = WhisperModel(args.model, device="cpu", compute_type=args.compute_type, cpu_threads=args.threads)
    for path in args.files:
        audio, rate = sf.read(path, dtype="float32")
        if audio.ndim > 1:
            audio = audio.mean(axis=1)
        assert rate == 16000, f"{path}: {rate} Hz (resample to 16 kHz first)"
        segments, _ = model.transcribe(audio, language="en", beam_size=args.beam_size, temperature=0.0,
                                       without_timestamps=not args.timestamps)
        segments = list(segments)
        text = " ".join(s.text.strip() for s in segments).strip()
        print(json.dumps({"file": os.path.basename(path), "text": text,
                          "segments": [{"start": s.start, "end": s.end, "text": s.text} for s in segments]}),
              flush=True)


if __name__ == "__main__":
    main()
