#!/usr/bin/env python3
"""mybro-status under load, from other processes on loopback (Python standard library only).

1. Events: EVENTS_PER_S records a second for SECONDS into mybro-status's stdin, with CLIENTS
   WebSocket clients on /v1/events; each client measures event latency (its clock minus the
   server's `received` stamp, same machine). Reports delivered/expected, p50/p99, dropped
   clients and the server's peak RSS.
2. Logs: WRITERS processes each POST LINES_PER_S/WRITERS lines a second as one chunked request
   (the MYBRO_LOG_URL protocol) for SECONDS; reports lines sent, lines received, lost.
"""
import argparse, base64, json, multiprocessing, os, re, socket, subprocess, sys, tempfile, threading, time, urllib.request


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def start(binary, directory):
    err = open(os.path.join(directory, "stderr"), "w+")
    proc = subprocess.Popen([binary, "--port", "0", "--log-port", "0", "--history", directory + "/h.sqlite",
                             "--log-dir", directory + "/logs", "--log-ring", "100000"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err)
    for _ in range(200):
        text = open(err.name).read()
        d = re.search(r"dashboard on http://127\.0\.0\.1:(\d+)", text)
        l = re.search(r"log service on http://127\.0\.0\.1:(\d+)", text)
        if d and l:
            return proc, int(d.group(1)), int(l.group(1))
        time.sleep(0.05)
    sys.exit("mybro-status did not start: " + open(err.name).read())


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Client(threading.Thread):
    """A minimal WebSocket client: handshake, then unmasked server frames."""

    def __init__(self, port, stop):
        super().__init__(daemon=True)
        self.port, self.stop, self.latencies, self.count, self.closed = port, stop, [], 0, False
        self.sock = socket.create_connection(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        data = b""
        while b"\r\n\r\n" not in data:
            data += self.sock.recv(4096)
        head, rest = data.split(b"\r\n\r\n", 1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        self.buffer, self.offset = bytearray(rest), 0

    def read(self, n):
        # A read offset into one buffer: slicing off the front each frame would copy it all.
        while len(self.buffer) - self.offset < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise EOFError
            del self.buffer[:self.offset]
            self.offset = 0
            self.buffer += chunk
        data = bytes(self.buffer[self.offset:self.offset + n])
        self.offset += n
        return data

    def run(self):
        self.sock.settimeout(1)
        try:
            while not self.stop.is_set():
                try:
                    b0, b1 = self.read(2)
                except socket.timeout:
                    continue
                length = b1 & 0x7F
                if length == 126:
                    length = int.from_bytes(self.read(2), "big")
                elif length == 127:
                    length = int.from_bytes(self.read(8), "big")
                payload = self.read(length)
                if b0 & 0x0F == 8:
                    self.closed = True
                    return
                if b0 & 0x0F == 1:
                    message = json.loads(payload)
                    if message.get("kind") == "update" and message.get("type") == "job_output":
                        self.count += 1
                        self.latencies.append(time.time() * 1000 - message["received"])
        except (EOFError, OSError):
            self.closed = True


def client_process(port, expected, ready, result):
    """One WebSocket client in a process of its own, so the clients never share Python's lock."""
    stop = threading.Event()
    client = Client(port, stop)
    client.start()
    ready.put(1)
    deadline = time.time() + 600
    while client.count < expected and not client.closed and time.time() < deadline:
        time.sleep(0.05)
    stop.set()
    result.put((client.count, client.closed, client.latencies))


def events(binary, rate, seconds, clients):
    with tempfile.TemporaryDirectory() as directory:
        proc, port, _ = start(binary, directory)
        total = rate * seconds
        ready, result = multiprocessing.Queue(), multiprocessing.Queue()
        readers = [multiprocessing.Process(target=client_process, args=(port, total, ready, result)) for _ in range(clients)]
        for reader in readers:
            reader.start()
        for _ in readers:
            ready.get()
        time.sleep(0.5)
        rss_before, peak = rss_kib(proc.pid), 0
        begin = time.time()
        for index in range(total):
            line = json.dumps({"type": "job_output", "job": 1, "stream": "output", "text": f"line {index} " + "x" * 60})
            proc.stdin.write((line + "\n").encode())
            if index % 20 == 0:
                proc.stdin.flush()
                delay = begin + (index + 1) / rate - time.time()
                if delay > 0:
                    time.sleep(delay)
            if index % rate == 0:
                peak = max(peak, rss_kib(proc.pid))
        proc.stdin.flush()
        sent_for = time.time() - begin
        outcomes = []
        for _ in readers:
            outcomes.append(result.get(timeout=120))
            peak = max(peak, rss_kib(proc.pid))
        for reader in readers:
            reader.join()
        state = get_json(f"http://127.0.0.1:{port}/v1/state")
        proc.terminate()
        proc.wait()
        latencies = sorted(l for _, _, ls in outcomes for l in ls)
        delivered = sum(count for count, _, _ in outcomes)
        p = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))] if latencies else float("nan")
        print(f"events: {total} at {total / sent_for:.0f}/s to {clients} WebSocket clients (one process each): "
              f"delivered {delivered}/{total * clients} ({delivered / (total * clients):.1%}), "
              f"latency p50 {p(0.5):.1f} ms p99 {p(0.99):.1f} ms max {latencies[-1] if latencies else 0:.1f} ms, "
              f"dropped clients {state.get('dropped_clients', '?')}, RSS {rss_before} -> peak {peak} KiB")


def writer(port, rate, seconds, tool, result):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall((f"POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-ndjson\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n").encode())
    sent, begin = 0, time.time()
    while time.time() - begin < seconds:
        batch = []
        for _ in range(max(1, rate // 100)):
            line = json.dumps({"time": "2026-01-01T00:00:00.000Z", "tool": tool, "pid": os.getpid(),
                               "level": "info", "message": f"line {sent}"}) + "\n"
            batch.append(f"{len(line):x}\r\n{line}\r\n".encode())
            sent += 1
        sock.sendall(b"".join(batch))
        delay = begin + sent / rate - time.time()
        if delay > 0:
            time.sleep(delay)
    sock.sendall(b"0\r\n\r\n")
    response = sock.recv(4096)
    sock.close()
    result.put((sent, response.split(b"\r\n")[0].decode()))


def logs(binary, rate, seconds, writers):
    with tempfile.TemporaryDirectory() as directory:
        proc, _, port = start(binary, directory)
        result = multiprocessing.Queue()
        begin = time.time()
        procs = [multiprocessing.Process(target=writer, args=(port, rate // writers, seconds, f"tool{i}", result))
                 for i in range(writers)]
        for p in procs:
            p.start()
        outcomes = [result.get() for _ in procs]
        for p in procs:
            p.join()
        elapsed = time.time() - begin
        stats = get_json(f"http://127.0.0.1:{port}/v1/logs/stats")
        proc.terminate()
        proc.wait()
        sent = sum(s for s, _ in outcomes)
        print(f"logs: {writers} writers sent {sent} lines in {elapsed:.1f} s ({sent / elapsed:.0f}/s); "
              f"received {stats['received']}, lost {sent - stats['received']}, malformed {stats['malformed']}; "
              f"responses {sorted(set(r for _, r in outcomes))}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--log-rate", type=int, default=10000)
    parser.add_argument("--writers", type=int, default=4)
    args = parser.parse_args()
    events(args.binary, args.rate, args.seconds, args.clients)
    logs(args.binary, args.log_rate, args.seconds, args.writers)
