#!/usr/bin/env python3
"""Stop latency of mybro-exec: from a `stop` intent written to its stdin until the job and every
grandchild it started are dead (gone, or zombies waiting to be reaped).

Usage: bench_stop.py [BUILD_DIR] [TRIALS]     (BUILD_DIR default .build/release)

Scenarios, each a fresh job per trial:
  shell        sh leader + background sleeps (SIGINT-immune, as in any non-interactive shell) + a subshell
  trap-int     the same, but the leader ignores SIGINT, so SIGTERM is needed
  claude       the fake Claude Code CLI (Tests/Fixtures/exec/fake-claude) with a Bash-tool grandchild:
               stream-json interrupt first
Jobs run in their own PID namespace: the pids they write are the namespace's, mapped here to the
host's through /proc/PID/status (NSpid); job_started.pid is already the host's.
Anchor: the same `shell` process tree started here in its own session and killed with one
os.killpg(SIGKILL): the floor for "signal a group and watch it die" on this machine.
"""
import json, os, shutil, signal, statistics, subprocess, sys, tempfile, threading, time

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build", "release"))
trials = int(sys.argv[2]) if len(sys.argv) > 2 else 20
exec_path = os.path.join(build, "mybro-exec")
fake_claude = os.path.join(root, "Tests", "Fixtures", "exec", "fake-claude")

SPAWN = """#!/bin/sh
%s
sleep 60 &
echo $! >> pids
( sleep 60 & echo $! >> pids; wait ) &
echo $! >> pids
echo $$ >> pids
wait
"""


def running(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def wait_dead(pids, limit=10.0):
    end = time.perf_counter() + limit
    while time.perf_counter() < end:
        if not any(running(p) for p in pids):
            return time.perf_counter()
        time.sleep(0.0002)
    raise RuntimeError("processes survived: %s" % [p for p in pids if running(p)])


def host_pids(pids, leader):
    """The host pids of the processes a job (leader: its host pid) knows as `pids`."""
    try:
        namespace = os.readlink("/proc/%d/ns/pid" % leader)
    except OSError:
        return pids
    if namespace == os.readlink("/proc/self/ns/pid"):
        return pids  # not isolated (--no-sandbox, or no namespaces here)
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            if os.readlink("/proc/%s/ns/pid" % name) != namespace:
                continue
            with open("/proc/%s/status" % name) as f:
                line = next(l for l in f if l.startswith("NSpid:"))
        except (OSError, StopIteration):
            continue
        found[int(line.split()[-1])] = int(name)
    missing = [p for p in pids if p not in found]
    if missing:
        raise RuntimeError("no host pid for %s in the job's namespace" % missing)
    return [found[p] for p in pids]


def read_pids(path, count, limit=10.0):
    end = time.time() + limit
    while time.time() < end:
        try:
            with open(path) as f:
                pids = [int(x) for x in f.read().split()]
            if len(pids) >= count:
                return pids
        except OSError:
            pass
        time.sleep(0.002)
    raise RuntimeError("the job did not start its processes")


def mybro_trial(workspace, scenario):
    pidfile = os.path.join(workspace, "pids")
    if os.path.exists(pidfile):
        os.remove(pidfile)
    env = dict(os.environ)
    args = [exec_path, "--no-history", "--no-undo", "--cwd", workspace, "--policy", os.path.join(workspace, "policy"), "-q"]
    if scenario == "claude":
        script = os.path.join(workspace, "long.jsonl")
        with open(script, "w") as f:
            f.write(json.dumps({"type": "system", "subtype": "init", "session_id": "s", "model": "m"}) + "\n")
            f.write(json.dumps({"fake": "spawn", "command": "exec sleep 60", "pidfile": pidfile + ".g"}) + "\n")
            f.write(json.dumps({"fake": "sleep", "seconds": 60}) + "\n")
        env.update(FAKE_CLAUDE_SCRIPT=script, FAKE_CLAUDE_MODE="normal")
        args += ["--claude", fake_claude]
        intent = {"type": "intent", "action": "code", "prompt": "run the tests"}
    else:
        intent = {"type": "intent", "action": "run", "command": "./spawn-%s.sh" % scenario}
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, bufsize=1)
    done = {}

    def reader():
        for line in proc.stdout:
            record = json.loads(line)
            if record.get("type") == "job_started":
                done["leader"] = record["pid"]
            if record.get("type") == "job_done":
                done["time"] = time.perf_counter()
                done["status"] = record["status"]

    thread = threading.Thread(target=reader)
    thread.start()
    proc.stdin.write(json.dumps(intent) + "\n")
    proc.stdin.flush()
    if scenario == "claude":
        pids = read_pids(pidfile + ".g", 1)
        os.remove(pidfile + ".g")
    else:
        pids = read_pids(pidfile, 4)
    while "leader" not in done:
        time.sleep(0.001)
    pids = host_pids(pids, done["leader"])
    if scenario == "claude":
        pids = pids + [done["leader"]]
    time.sleep(0.05)
    start = time.perf_counter()
    proc.stdin.write(json.dumps({"type": "intent", "action": "stop"}) + "\n")
    proc.stdin.flush()
    dead = wait_dead(pids)
    proc.stdin.close()
    thread.join(10)
    proc.wait(10)
    assert done.get("status") == "stopped", done
    return (dead - start) * 1000, (done["time"] - start) * 1000


def anchor_trial(workspace):
    pidfile = os.path.join(workspace, "pids")
    if os.path.exists(pidfile):
        os.remove(pidfile)
    proc = subprocess.Popen(["./spawn-shell.sh"], cwd=workspace, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pids = read_pids(pidfile, 4)
    time.sleep(0.05)
    start = time.perf_counter()
    os.killpg(proc.pid, signal.SIGKILL)
    dead = wait_dead(pids)
    proc.wait()
    return (dead - start) * 1000


def describe(values):
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
    return "median %7.2f ms  p90 %7.2f ms  max %7.2f ms" % (statistics.median(values), p90, values[-1])


def main():
    if not os.access(exec_path, os.X_OK):
        sys.exit("no %s: build first (swift build -c release)" % exec_path)
    workspace = tempfile.mkdtemp(prefix="mybro-bench-stop-")
    for name, prologue in (("shell", ""), ("trap-int", "trap '' INT")):
        path = os.path.join(workspace, "spawn-%s.sh" % name)
        with open(path, "w") as f:
            f.write(SPAWN % prologue)
        os.chmod(path, 0o755)
    with open(os.path.join(workspace, "policy"), "w") as f:
        f.write("allow ./spawn-shell.sh|./spawn-trap-int.sh args: NONE\n")
    anchor = [anchor_trial(workspace) for _ in range(trials)]
    anchor_median = statistics.median(anchor)
    print("stop latency, %d trials each (all processes dead = gone or zombie)" % trials)
    print("%-22s %s" % ("anchor killpg(SIGKILL)", describe(anchor)))
    for scenario in ("shell", "trap-int", "claude"):
        dead, reported = zip(*[mybro_trial(workspace, scenario) for _ in range(trials)])
        print("%-22s %s   ratio to anchor %.1fx   job_done after %.1f ms (median)"
              % ("mybro-exec " + scenario, describe(dead), statistics.median(dead) / anchor_median,
                 statistics.median(reported)))
    shutil.rmtree(workspace, ignore_errors=True)


main()
