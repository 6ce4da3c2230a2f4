"""Shared pieces of the mybro-transcribe evaluation and benchmark scripts."""
import base64
import csv
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
# ../shared beside the repository, as on the developers' and CI machines.
SHARED = os.environ.get("MYBRO_SHARED", os.path.abspath(os.path.join(ROOT, "..", "shared")))
DATA = os.environ.get("MYBRO_DATA", os.path.join(SHARED, "data"))


def binary():
    directory = os.environ.get("MYBRO_BIN_DIR", os.path.join(ROOT, ".build", "release"))
    path = os.path.join(directory, "mybro-transcribe")
    if not os.path.exists(path):
        sys.exit(f"{path} is missing: run `swift build -c release` first")
    return path


def model_dir():
    return os.environ.get("MYBRO_MODEL") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "mybro/models/whisper-tiny.en")


def load_set(directory):
    """(file name, float32 samples, reference text) of a manifest.tsv directory."""
    import soundfile as sf
    rows = list(csv.DictReader(open(os.path.join(directory, "manifest.tsv")), delimiter="\t"))
    out = []
    for row in rows:
        audio, rate = sf.read(os.path.join(directory, row["file"]), dtype="float32")
        if audio.ndim > 1:
            audio = audio.mean(axis=1)
        assert rate == 16000, f"{row['file']}: {rate} Hz"
        out.append((row["file"], audio, row.get("reference_text", "")))
    return out


def normalizer():
    """OpenAI's English normalizer, brackets kept (as shared/bench/bench_faster_whisper.py)."""
    from whisper_normalizer.english import EnglishTextNormalizer
    english = EnglishTextNormalizer()
    return lambda text: english(re.sub(r"[()\[\]]", " ", text))


def wer(references, hypotheses):
    import jiwer
    pairs = [(r, h) for r, h in zip(references, hypotheses) if r.strip()]
    result = jiwer.process_words([p[0] for p in pairs], [p[1] if p[1].strip() else "<empty>" for p in pairs])
    words = result.hits + result.substitutions + result.deletions
    return (result.substitutions + result.deletions + result.insertions) / words


def utterance_record(audio, t0=0.0):
    import numpy as np
    pcm = np.clip(np.round(audio * 32768), -32768, 32767).astype("<i2").tobytes()
    return json.dumps({"type": "utterance", "t0": t0, "t1": t0 + len(audio) / 16000, "rate": 16000,
                       "pcm": base64.b64encode(pcm).decode()})


class StreamProcess:
    """A running `mybro-transcribe` in stream mode: one utterance in, one transcript out."""

    def __init__(self, extra_args=(), threads=2):
        self.process = subprocess.Popen([binary(), "--threads", str(threads), *extra_args],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def transcribe(self, audio):
        """(text, wall seconds) for one utterance."""
        line = utterance_record(audio)
        start = time.perf_counter()
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        while True:
            out = self.process.stdout.readline()
            if not out:
                raise RuntimeError("mybro-transcribe ended early")
            record = json.loads(out)
            if record.get("type") == "transcript":
                return record["text"], time.perf_counter() - start

    def peak_rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self):
        self.process.stdin.close()
        self.process.wait()
