#!/usr/bin/env python3
"""Start-up cost of a job in mybro-exec, with the sandbox (PID namespace, private /proc, Landlock,
no capabilities) and without it (--no-sandbox).

Usage: bench_start.py [BUILD_DIR] [TRIALS]     (BUILD_DIR default .build/release, TRIALS 30)

One mybro-exec per mode stays up (--no-history --no-undo, the shipped policy, output unthrottled);
the two take turns, one `echo hi` intent at a time. For each job: milliseconds from writing the
intent to reading its job_started record, and to reading its first job_output line ("hi").
HOME, XDG_STATE_HOME and TMPDIR point at a temporary directory.
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build", "release"))
trials = int(sys.argv[2]) if len(sys.argv) > 2 else 30
exec_path = os.path.join(build, "mybro-exec")


def start(mode, directory):
    env = dict(os.environ, HOME=directory + "/home", XDG_STATE_HOME=directory + "/state",
               XDG_CONFIG_HOME=directory + "/config", TMPDIR=directory + "/tmp")
    args = [exec_path, "--no-history", "--no-undo", "--cwd", directory + "/ws", "--output-rate", "0", "-q"]
    if mode == "no-sandbox":
        args.append("--no-sandbox")
    return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, text=True, bufsize=1)


def trial(proc):
    begin = time.perf_counter()
    proc.stdin.write(json.dumps({"type": "intent", "action": "run", "command": "echo hi"}) + "\n")
    proc.stdin.flush()
    started = output = None
    sandbox = "?"
    for line in proc.stdout:
        record = json.loads(line)
        kind = record.get("type")
        if kind == "job_started":
            started = time.perf_counter()
            sandbox = record.get("sandbox", "none")
        elif kind == "job_output" and output is None:
            output = time.perf_counter()
        elif kind == "job_done":
            if record.get("status") != "succeeded":
                raise RuntimeError("the job failed: %s" % record)
            break
    return (started - begin) * 1000, (output - begin) * 1000, sandbox


def describe(values):
    values = sorted(values)
    p10 = values[int(round(0.1 * (len(values) - 1)))]
    p90 = values[int(round(0.9 * (len(values) - 1)))]
    return "median %6.2f ms  p10 %6.2f  p90 %6.2f  min %6.2f  max %6.2f" % (
        statistics.median(values), p10, p90, values[0], values[-1])


def main():
    if not os.access(exec_path, os.X_OK):
        sys.exit("no %s: build first (swift build -c release)" % exec_path)
    directory = tempfile.mkdtemp(prefix="mybro-bench-start-")
    try:
        for name in ("home", "state", "config", "tmp", "ws"):
            os.makedirs(os.path.join(directory, name))
        modes = ("sandbox", "no-sandbox")
        procs = {mode: start(mode, directory) for mode in modes}
        results = {mode: [] for mode in modes}
        for mode in modes:  # one job each to warm up (first-job costs: policy, caches)
            trial(procs[mode])
        for _ in range(trials):
            for mode in modes:
                results[mode].append(trial(procs[mode]))
        for proc in procs.values():
            proc.stdin.close()
            proc.wait(10)
        print("job start-up, `echo hi`, %d trials each (after one warm-up job)" % trials)
        for mode in modes:
            started, output, sandbox = zip(*results[mode])
            print("%-10s (sandbox: %s)" % (mode, sandbox[0]))
            print("  intent -> job_started    %s" % describe(started))
            print("  intent -> first output   %s" % describe(output))
        difference = statistics.median([r[1] for r in results["sandbox"]]) - statistics.median(
            [r[1] for r in results["no-sandbox"]])
        print("sandbox cost to first output (difference of medians): %.2f ms" % difference)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


main()
