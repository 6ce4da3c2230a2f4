#!/usr/bin/env python3
"""Accuracy, confusions and latency of `mybro-intent --backend rules` on the evaluation sets.

    Benchmarks/intent/evaluate.py [--binary .build/release/mybro-intent] [--baseline OTHER_BINARY]
                                  [--set FILE ...] [--misses]

Sets: Tests/Fixtures/intent/tuning.jsonl (hand-written, tuned on), generated.jsonl split into
its "tune" templates and its "heldout" templates (never tuned on), paraphrases.jsonl (316 requests
written by someone who had not seen the grammar; 73.4 % before the grammar was tuned on them). The workspace of
Tests/Fixtures/intent/workspace.txt is made in a temporary folder and given as --cwd.
Latency: the requests go through one process pinned to one core (taskset -c 0 when present);
per request = (time for all - time for one) / (n - 1), so start-up is left out.
--baseline runs a second binary (an older mybro-intent) on the same sets, to show what the
new grammar adds.
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "intent")


def load(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return [json.loads(line) for line in f if line.strip()]


def make_workspace():
    folder = tempfile.mkdtemp(prefix="mybro-intent-eval-")
    with open(os.path.join(FIXTURES, "workspace.txt")) as f:
        for line in f:
            path = line.strip()
            if not path or path.startswith("#"):
                continue
            full = os.path.join(folder, path)
            if path.endswith("/"):
                os.makedirs(full, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(full), exist_ok=True)
                open(full, "w").close()
    return folder


def run(binary, texts, workspace, extra):
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    args = pin + [binary, "--backend", "rules", "--cwd", workspace, "--no-none-reply", "--ask-below", "0"] + extra
    start = time.perf_counter()
    result = subprocess.run(args, input="\n".join(texts) + "\n", capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    intents = [json.loads(line) for line in result.stdout.splitlines() if '"type":"intent"' in line]
    return intents, elapsed


def same_command(expected, got):
    """Commands compare as written, except where writing differs without changing what runs: a
    search pattern's spoken word gap may be written as a space or as mybro's `[ _-]?` (which also
    finds api_key and apiKey for "api key"), `git log --oneline -N` shows the commits `git log -N`
    shows, and a commit message's case is the speaker's, not
    the intent's (a recogniser capitalises a message that starts the sentence)."""
    if got is None:
        return False
    if expected == got:
        return True
    if expected.startswith("rg ") and got.startswith("rg "):
        def spoken(command):
            return command.replace("[ _-]?", " ").replace("[_-]?", " ")
        return spoken(expected) == spoken(got)
    if expected.startswith("git log ") and got.startswith("git log "):
        # --oneline changes how the same commits are printed, not which ones
        return expected.replace(" --oneline", "") == got.replace(" --oneline", "")
    if expected.startswith("git commit ") and got.startswith("git commit "):
        return expected.lower() == got.lower()
    return False


def accepts(label, intent):
    if intent.get("action") != label["action"]:
        return False
    commands = label.get("command")
    if isinstance(commands, str):
        commands = [commands]
    if commands and not any(same_command(c, intent.get("command")) for c in commands):
        return False
    if label["action"] == "run" and not commands and intent.get("command"):
        return False
    if (label.get("task") or label["action"] == "run") and label.get("task") != intent.get("task"):
        return False
    if label.get("mode") and label["mode"] != intent.get("mode"):
        return False
    if label.get("job") and label["job"] != intent.get("job"):
        return False
    return True


def describe(intent):
    parts = [intent.get("action", "?")]
    for key in ("task", "mode", "command"):
        if intent.get(key):
            parts.append(str(intent[key]))
    return " ".join(parts)


def report(name, labels, intents, show_misses):
    per = collections.defaultdict(lambda: [0, 0])
    confusions = collections.Counter()
    misses = []
    for label, intent in zip(labels, intents):
        ok = accepts(label, intent)
        per[label["category"]][0] += ok
        per[label["category"]][1] += 1
        if not ok:
            got = intent.get("action")
            if got == label["action"]:
                got += " (wrong slot)"
            confusions[(label["category"], got)] += 1
            misses.append(f'  [{label["category"]}] "{label["text"]}" -> {describe(intent)}')
    right = sum(v[0] for v in per.values())
    total = sum(v[1] for v in per.values())
    print(f"\n{name}: {right}/{total} right = {100 * right / max(total, 1):.1f} %")
    for category in sorted(per):
        r, t = per[category]
        print(f"  {category:15s} {r:4d}/{t:<4d} {100 * r / t:5.1f} %")
    if confusions:
        print("  confusions (expected category -> got action):")
        for (category, got), count in confusions.most_common():
            print(f"    {category:15s} -> {got:24s} {count}")
    if show_misses and misses:
        print("  misses:")
        print("\n".join(misses))
    return right, total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "mybro-intent"))
    parser.add_argument("--baseline", help="another mybro-intent to compare (it gets no --cwd and no reply options)")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--set", action="append", default=[], metavar="FILE",
                        help="also score this JSON Lines set (the fixtures' fields: text, category, action, "
                             "command, task, mode); repeatable")
    args = parser.parse_args()
    sets = [("tuning (hand-written)", load("tuning.jsonl"))]
    generated = load("generated.jsonl")
    sets.append(("generated, tuning templates", [r for r in generated if r["split"] == "tune"]))
    sets.append(("generated, held-out templates", [r for r in generated if r["split"] == "heldout"]))
    sets.append(("paraphrases (written apart from the grammar, then tuned on)", load("paraphrases.jsonl")))
    for path in args.set:
        with open(path) as f:
            sets.append((path, [json.loads(line) for line in f if line.strip()]))
    workspace = make_workspace()
    try:
        for binary, label, extra in [(args.binary, "mybro-intent", [])] + (
            [(args.baseline, "baseline", None)] if args.baseline else []
        ):
            print(f"== {label}: {binary}")
            for name, labels in sets:
                texts = [r["text"] for r in labels]
                if extra is None:
                    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
                    out = subprocess.run(pin + [binary, "--backend", "rules"], input="\n".join(texts) + "\n",
                                         capture_output=True, text=True, check=True).stdout
                    intents = [json.loads(l) for l in out.splitlines() if '"type":"intent"' in l]
                else:
                    intents, _ = run(binary, texts, workspace, extra)
                report(name, labels, intents, args.misses and extra is not None)
        # Latency on one core, start-up left out.
        texts = [r["text"] for r in load("tuning.jsonl")] + [r["text"] for r in generated]
        _, one = run(args.binary, texts[:1], workspace, [])
        rounds = []
        for _ in range(3):
            _, full = run(args.binary, texts * 5, workspace, [])
            rounds.append(full)
        per_request = (min(rounds) - one) / (len(texts) * 5 - 1)
        print(f"\nlatency: {1000 * per_request:.3f} ms per request ({len(texts) * 5} requests through one process"
              f" on one core, JSON out included; start-up {1000 * one:.0f} ms)")
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
