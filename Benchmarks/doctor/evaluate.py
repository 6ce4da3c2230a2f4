#!/usr/bin/env python3
"""Score mybro-doctor on a generated corpus beside betterleaks, kingfisher and detect-secrets
(secrets), ruff, bandit and shellcheck (security lines), then measure false positives and speed
on clean real code (/usr/lib/python3), all in one run.

    evaluate.py --binary .build/release/mybro-doctor --seeds 1,9001 [--repos 7] [--speed-runs 3]

Secrets are scored by (repository, file, line): recall over the planted secrets, precision over
everything a tool reported as a secret (decoys included). History-only secrets are scored by
(file, line) against each tool's history mode. Anchors that are not installed are skipped.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(command, cwd=None, timeout=900):
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return result, time.perf_counter() - started


def jsonl(text):
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                pass


def rel(path, root):
    path = os.path.normpath(path)
    root = os.path.normpath(root)
    return os.path.relpath(path, root) if os.path.isabs(path) else path


# --- secret scanners: (file, line) sets ---

def doctor_secrets(binary, root, history=False):
    args = [binary, "--history"] if history else [binary, "--no-ignore", root]
    result, _ = run(args, cwd=root)
    found = set()
    for record in jsonl(result.stdout):
        if record.get("type") == "finding" and record.get("category") == "secret" and "line" in record:
            found.add((record["file"], record["line"]))
    return found


def doctor_findings(binary, root):
    result, _ = run([binary, "--no-ignore", root], cwd=root)
    return [r for r in jsonl(result.stdout) if r.get("type") == "finding"]


def betterleaks_secrets(root, history=False):
    if not shutil.which("betterleaks"):
        return None
    args = ["betterleaks", "git" if history else "fs", root, "--no-banner", "--jsonl", "-o", "-", "-l", "error"]
    result, _ = run(args, cwd=root)
    found = set()
    for record in jsonl(result.stdout):
        finding = record.get("finding", record)
        location = finding.get("location") or finding.get("source") or {}
        path = (location.get("path") or location.get("file") or finding.get("file") or finding.get("File")
                or finding.get("path"))
        line = (location.get("start_line") or location.get("line") or finding.get("start_line")
                or finding.get("StartLine") or finding.get("line"))
        if isinstance(location.get("position"), dict):
            line = line or location["position"].get("start_line") or location["position"].get("line")
        if path and line:
            found.add((rel(path, root), int(line)))
    return found


def kingfisher_secrets(root, history=False):
    if not shutil.which("kingfisher"):
        return None
    args = ["kingfisher", "scan", root, "--no-validate", "--format", "jsonl", "--git-history", "full" if history else "none"]
    result, _ = run(args, cwd=root)
    found = set()
    for record in jsonl(result.stdout):
        finding = record.get("finding") or {}
        path = finding.get("path")
        line = finding.get("line")
        if path and line:
            found.add((rel(path, root), int(line)))
    return found


def detect_secrets_found(root):
    if not shutil.which("detect-secrets"):
        return None
    result, _ = run(["detect-secrets", "scan", "--all-files", "."], cwd=root)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return set()
    return {(path, item["line_number"]) for path, items in report.get("results", {}).items() for item in items}


# --- security linters ---

def ruff_lines(root):
    if not shutil.which("ruff"):
        return None
    result, _ = run(["ruff", "check", "--select", "S", "--output-format", "json", "--no-cache", "--exit-zero", "."], cwd=root)
    try:
        return {(rel(item["filename"], root), item["location"]["row"]) for item in json.loads(result.stdout)}
    except (json.JSONDecodeError, KeyError):
        return set()


def bandit_lines(root):
    if not shutil.which("bandit"):
        return None
    result, _ = run(["bandit", "-r", ".", "-f", "json", "-q"], cwd=root)
    try:
        return {(rel(item["filename"], root), item["line_number"]) for item in json.loads(result.stdout)["results"]}
    except (json.JSONDecodeError, KeyError):
        return set()


def shellcheck_lines(root):
    if not shutil.which("shellcheck"):
        return None
    scripts = []
    for base, _, files in os.walk(root):
        if ".git" in base:
            continue
        scripts += [os.path.join(base, f) for f in files if f.endswith(".sh")]
    if not scripts:
        return set()
    result, _ = run(["shellcheck", "-f", "json", *scripts], cwd=root)
    try:
        return {(rel(item["file"], root), item["line"]) for item in json.loads(result.stdout)}
    except json.JSONDecodeError:
        return set()


def ratio(a, b):
    return a / b if b else float("nan")


def score(found, truth):
    tp = len(found & truth)
    return ratio(tp, len(truth)), ratio(tp, len(found)), tp, len(found), len(truth)


def evaluate_corpus(binary, seed, repos, workdir):
    out = os.path.join(workdir, f"corpus-{seed}")
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--seed", str(seed), "--repos", str(repos),
                    "--out", out], check=True, stdout=subprocess.DEVNULL)
    truth = json.load(open(os.path.join(out, "truth.json")))["repos"]
    tools = {
        "mybro-doctor": lambda r: doctor_secrets(binary, r),
        "betterleaks": betterleaks_secrets,
        "kingfisher": kingfisher_secrets,
        "detect-secrets": detect_secrets_found,
    }
    history_tools = {
        "mybro-doctor": lambda r: doctor_secrets(binary, r, history=True),
        "betterleaks": lambda r: betterleaks_secrets(r, history=True),
        "kingfisher": lambda r: kingfisher_secrets(r, history=True),
    }
    security_tools = {"mybro-doctor": None, "ruff (S)": ruff_lines, "bandit": bandit_lines, "shellcheck": shellcheck_lines}
    totals = {name: [set(), set()] for name in tools}
    history_totals = {name: [set(), set()] for name in history_tools}
    security_totals = {name: [set(), set()] for name in security_tools}
    policy = [0, 0]
    health = [0, 0]
    for name, t in truth.items():
        root = os.path.join(out, name)
        planted = {(name, s["file"], s["line"]) for s in t["secrets"]}
        for tool, fn in tools.items():
            found = fn(root)
            if found is None:
                totals[tool] = None
                continue
            totals[tool][0] |= {(name, f, l) for f, l in found}
            totals[tool][1] |= planted
        past = {(name, s["file"], s["line"]) for s in t["history_secrets"]}
        for tool, fn in history_tools.items():
            found = fn(root)
            if found is None or history_totals[tool] is None:
                history_totals[tool] = None
                continue
            history_totals[tool][0] |= {(name, f, l) for f, l in found if (name, f, l) in past}
            history_totals[tool][1] |= past
        findings = doctor_findings(binary, root)
        security_truth = {(name, s["file"], s["line"]) for s in t["security"]}
        security_files = {s["file"] for s in t["security"]}
        for tool, fn in security_tools.items():
            if fn is None:
                found = {(r["file"], r["line"]) for r in findings if r["category"] == "security"}
            else:
                found = fn(root)
                if found is None:
                    security_totals[tool] = None
                    continue
            security_totals[tool][0] |= {(name, f, l) for f, l in found if f in security_files}
            security_totals[tool][1] |= security_truth
        checks = {(r["check"], r.get("file")) for r in findings}
        for item in t["policy"]:
            policy[1] += 1
            policy[0] += any(c == item["check"] and f == item["file"] for c, f in checks)
        for item in t["health"]:
            health[1] += 1
            health[0] += any(c == item["check"] and (item.get("file") is None or f == item["file"]) for c, f in checks)
    print(f"\n== corpus seed {seed}: {repos} repositories {'(held out)' if seed >= 9000 else '(development)'} ==")
    print(f"{'secrets (working tree)':28} {'recall':>7} {'precision':>9} {'TP':>5} {'found':>6} {'planted':>8}")
    for tool, pair in totals.items():
        if pair is None:
            print(f"  {tool:26} not installed")
            continue
        r, p, tp, n, m = score(pair[0], pair[1])
        print(f"  {tool:26} {r:7.3f} {p:9.3f} {tp:5d} {n:6d} {m:8d}")
    print(f"{'secrets only in history':28} {'recall':>7}")
    for tool, pair in history_totals.items():
        if pair is None:
            print(f"  {tool:26} not installed")
            continue
        print(f"  {tool:26} {ratio(len(pair[0]), len(pair[1])):7.3f} ({len(pair[0])}/{len(pair[1])})")
    print(f"{'security lines':28} {'recall':>7} {'precision':>9}")
    for tool, pair in security_totals.items():
        if pair is None:
            print(f"  {tool:26} not installed")
            continue
        r, p, tp, n, m = score(pair[0], pair[1])
        print(f"  {tool:26} {r:7.3f} {p:9.3f}   ({tp}/{m}; {n} lines flagged in those files)")
    print(f"  policy items found by mybro-doctor: {policy[0]}/{policy[1]}   health items: {health[0]}/{health[1]}")
    print("  (none of the anchors reports policy or repository-level health items)")


def tree_size(root):
    files = 0
    size = 0
    for base, _, names in os.walk(root):
        for name in names:
            path = os.path.join(base, name)
            if os.path.isfile(path) and not os.path.islink(path):
                files += 1
                size += os.path.getsize(path)
    return files, size


def speed(binary, root, runs):
    files, size = tree_size(root)
    commands = {
        "mybro-doctor": [binary, "--no-ignore", root],
        "kingfisher": ["kingfisher", "scan", root, "--no-validate", "--format", "jsonl", "--git-history", "none"],
        "betterleaks": ["betterleaks", "fs", root, "--no-banner", "--jsonl", "-o", "-", "-l", "error"],
        "detect-secrets": ["detect-secrets", "scan", "--all-files", root],
    }
    print(f"\n== clean real code: {root} ({files} files, {size / 1e6:.1f} MB); best of {runs}, shared 2-core machine ==")
    print(f"  {'tool':16} {'seconds':>8} {'files/s':>9} {'MB/s':>7} {'secret findings (false positives)':>34}")
    best = {}
    for tool, command in commands.items():
        if not shutil.which(command[0]) and not os.path.exists(command[0]):
            print(f"  {tool:16} not installed")
            continue
        times = []
        result = None
        for _ in range(runs):
            result, seconds = run(command)
            times.append(seconds)
        seconds = min(times)
        best[tool] = seconds
        if tool == "mybro-doctor":
            count = sum(1 for r in jsonl(result.stdout) if r.get("type") == "finding" and r.get("category") == "secret")
        elif tool == "detect-secrets":
            try:
                count = sum(len(v) for v in json.loads(result.stdout).get("results", {}).values())
            except json.JSONDecodeError:
                count = -1
        else:
            count = sum(1 for _ in jsonl(result.stdout))
        print(f"  {tool:16} {seconds:8.2f} {files / seconds:9.0f} {size / 1e6 / seconds:7.1f} {count:34d}")
    anchors = [best[t] for t in ("kingfisher", "betterleaks") if t in best]
    if "mybro-doctor" in best and anchors:
        print(f"  mybro-doctor speed ÷ the faster of kingfisher and betterleaks: {min(anchors) / best['mybro-doctor']:.2f}×")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--seeds", default="1,9001")
    parser.add_argument("--repos", type=int, default=7)
    parser.add_argument("--clean", default="/usr/lib/python3")
    parser.add_argument("--speed-runs", type=int, default=3)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    with tempfile.TemporaryDirectory(prefix="mybro-doctor-bench-") as workdir:
        for seed in [int(s) for s in args.seeds.split(",")]:
            evaluate_corpus(binary, seed, args.repos, workdir)
    if os.path.isdir(args.clean):
        speed(binary, args.clean, args.speed_runs)


if __name__ == "__main__":
    main()
