#!/usr/bin/env python3
"""Generates a set of short spoken coding commands with espeak-ng, in many voices and speeds.

Writes DIR/NNN.wav (16 kHz mono s16) and DIR/manifest.tsv (file, text, voice, speed,
seconds). `--split tune` uses the tuning phrases and voices; `--split heldout` uses other
phrases and other voices, for figures that were not tuned on. Some clips get a little
leading/trailing silence and low white noise. Needs espeak-ng and sox.

    python3 Benchmarks/transcribe/make_commands_set.py --split tune --count 160 --out /tmp/cmd-tune
"""
import argparse
import array
import os
import random
import subprocess
import sys
import wave

TUNE_PHRASES = """run the tests
build the project
build in release mode
show me the diff
what is the git status
commit the changes
commit with message fix the parser
push the branch
pull the latest changes
create a branch called login fix
switch to the main branch
stash my changes
show the last five commits
run make lint
format the code
open the readme file
list the files in sources
search for parse config
never mind
cancel that
stop
yes
no
yes please
no thanks
undo the last change
what are you doing
is it still running
did the tests pass
how long did the build take
run the app
show the log
blame the makefile
show the last commit
count the lines in main dot swift
find the file named package dot swift
rename the function to load model
add a test for the tokenizer
fix the failing test
explain this error
make it faster
delete the build folder
check the memory usage
go back
try again
what changed since yesterday
show the branches
merge the feature branch
run swift build
run make test""".splitlines()

HELDOUT_PHRASES = """run all the unit tests
compile the code
show the changes
what branch am I on
commit everything
push to origin
fetch the remote
make a new branch named cleanup
check out the develop branch
pop the stash
show the history
lint the sources
reformat this file
print the readme
list the test folder
grep for todo
forget it
abort
okay
nope
sure
revert that
what's happening
are you done
did the build pass
when did the last build finish
launch the program
show the previous commit
who changed this line
how many files are there
where is the config file
write a function that parses json
refactor the decoder
add logging to the encoder
remove the unused imports
update the changelog
run the benchmarks
clean the build
open the makefile
go ahead""".splitlines()

TUNE_VOICES = ["en", "en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en+f3", "en+m3", "en-us+f2", "en+m7"]
HELDOUT_VOICES = ["en-029", "en-us-nyc", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en+f4", "en-us+m5", "en+f5"]


def synthesize(text, voice, speed, lead, trail, noise, path, rng):
    speech = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text], check=True, capture_output=True).stdout
    converted = subprocess.run(
        ["sox", "-t", "wav", "-", "-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-",
         "pad", f"{lead:.3f}", f"{trail:.3f}"], input=speech, check=True, capture_output=True).stdout
    samples = array.array("h")
    samples.frombytes(converted)
    if noise > 0:
        amplitude = noise * 32767
        samples = array.array("h", (max(-32768, min(32767, int(s + rng.gauss(0, amplitude)))) for s in samples))
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(samples.tobytes())
    return len(samples) / 16000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["tune", "heldout"], default="tune")
    parser.add_argument("--count", type=int, default=160)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=4.0, help="drop clips longer than this")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    phrases = TUNE_PHRASES if args.split == "tune" else HELDOUT_PHRASES
    voices = TUNE_VOICES if args.split == "tune" else HELDOUT_VOICES
    os.makedirs(args.out, exist_ok=True)
    rows = []
    attempts = 0
    while len(rows) < args.count and attempts < args.count * 3:
        attempts += 1
        text = phrases[(len(rows) + rng.randrange(len(phrases))) % len(phrases)]
        voice = rng.choice(voices)
        speed = rng.randrange(120, 221, 10)
        padded = rng.random() < 0.5
        lead = rng.uniform(0.05, 0.5) if padded else 0
        trail = rng.uniform(0.05, 0.5) if padded else 0
        noise = rng.choice([0, 0, 0.002, 0.005])
        name = f"{len(rows):03d}.wav"
        seconds = synthesize(text, voice, speed, lead, trail, noise, os.path.join(args.out, name), rng)
        if seconds > args.max_seconds:
            continue
        rows.append((name, text, voice, speed, f"{seconds:.2f}"))
    with open(os.path.join(args.out, "manifest.tsv"), "w") as manifest:
        manifest.write("file\ttext\tvoice\tspeed\tseconds\n")
        for row in rows:
            manifest.write("\t".join(str(x) for x in row) + "\n")
    print(f"{len(rows)} clips in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
