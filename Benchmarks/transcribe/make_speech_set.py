#!/usr/bin/env python3
"""Makes a set of recordings never seen before: espeak-ng speaking sentences drawn with a
seed (voice, speed and pitch varied), 16 kHz mono WAV files and a manifest.tsv with the
reference texts, for evaluate.py --set DIR.

  make_speech_set.py --seed 7 --out /tmp/unseen [--count 30]
"""
import argparse
import csv
import os
import random
import subprocess

SUBJECTS = ["the build", "the test suite", "the main branch", "the README", "the Makefile", "the server",
            "my terminal", "the last commit", "the log file", "the new feature", "the database", "the config"]
VERBS = ["open", "close", "run", "check", "show me", "delete", "restart", "update", "review", "explain"]
TAILS = ["please", "right now", "again", "for me", "before lunch", "when you can", "and tell me what failed", ""]
SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "She sells sea shells by the sea shore.",
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "Please remember to water the plants while I am away.",
    "The meeting has been moved to Thursday afternoon at three o'clock.",
    "We need to finish the report before the end of the week.",
    "How much wood would a woodchuck chuck if a woodchuck could chuck wood?",
    "The weather today is sunny with a light breeze from the west.",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for index in range(args.count):
        if rng.random() < 0.6:
            text = f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} {rng.choice(TAILS)}".strip()
            text = text[0].upper() + text[1:] + "."
        else:
            text = rng.choice(SENTENCES)
        voice = rng.choice(["en-us", "en", "en-gb-x-rp", "en-us+f3", "en+m3", "en-us+m7"])
        speed, pitch = rng.randint(130, 180), rng.randint(35, 65)
        name = f"tts_{args.seed}_{index:03d}.wav"
        raw = os.path.join(args.out, name + ".tmp.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", raw, text], check=True)
        subprocess.run(["sox", raw, "-r", "16000", "-c", "1", "-b", "16", os.path.join(args.out, name)], check=True)
        os.remove(raw)
        rows.append({"file": name, "reference_text": text})
    with open(os.path.join(args.out, "manifest.tsv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "reference_text"], delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
