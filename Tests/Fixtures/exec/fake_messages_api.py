#!/usr/bin/env python3
"""A fake Anthropic Messages API on 127.0.0.1 for mybro-intent's tests (real HTTP).

Usage: fake_messages_api.py SCENARIO.json REQUEST_LOG.jsonl
Prints the port it listens on as the first line of stdout. Each POST /v1/messages takes the
next reply from the scenario (the last one repeats). A reply is an object with:
  status (default 200), headers ({}), delay (seconds before answering),
  one of: intent {...} (a structured-output message whose text is that JSON),
          tool_intent {...} (a forced tool call emit_intent with that input),
          refusal "text" (stop_reason refusal), error ["type", "message"] (an error body),
          raw "text" (sent as is), body {...} (sent as JSON),
          sse [{"event": NAME, "data": {...}, "delay": SECONDS}, ...] (server-sent events, each
          flushed after its delay, the connection closed at the end),
          redirect "URL" (a 307 to that URL; status may change it).
Every request is appended to REQUEST_LOG as {"headers": {...lower-case...}, "body": <json or text>}.
Like the real API it answers 401 without x-api-key and 400 without anthropic-version.
"""
import http.server, json, signal, socketserver, sys, threading, time

# A test runner may start us with signals blocked (its threads block them); we must die on SIGTERM.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

scenario = json.load(open(sys.argv[1]))
log_path = sys.argv[2]
lock = threading.Lock()
counter = {"n": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, payload, headers=None, raw=False):
        data = payload.encode() if raw else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", "req_fake%04d" % counter["n"])
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        text = self.rfile.read(length).decode("utf-8", "replace")
        try:
            body = json.loads(text)
        except ValueError:
            body = text
        with lock:
            index = min(counter["n"], len(scenario) - 1)
            counter["n"] += 1
            with open(log_path, "a") as log:
                log.write(json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}) + "\n")
        reply = scenario[index]
        if self.path != "/v1/messages":
            return self.send(404, {"type": "error", "error": {"type": "not_found_error", "message": "no such path"}})
        if not self.headers.get("x-api-key"):
            return self.send(401, {"type": "error", "error": {"type": "authentication_error", "message": "x-api-key header is required"}})
        if not self.headers.get("anthropic-version"):
            return self.send(400, {"type": "error", "error": {"type": "invalid_request_error", "message": "anthropic-version header is required"}})
        if not isinstance(body, dict) or not all(k in body for k in ("model", "max_tokens", "messages")):
            return self.send(400, {"type": "error", "error": {"type": "invalid_request_error", "message": "model, max_tokens and messages are required"}})
        time.sleep(reply.get("delay", 0))
        status = reply.get("status", 200)
        headers = reply.get("headers", {})
        message = {"id": "msg_fake", "type": "message", "role": "assistant", "model": body["model"],
                   "stop_sequence": None, "usage": {"input_tokens": 10, "output_tokens": 5}}
        if "intent" in reply:
            message.update(content=[{"type": "text", "text": json.dumps(reply["intent"])}], stop_reason="end_turn")
            return self.send(status, message, headers)
        if "tool_intent" in reply:
            message.update(content=[{"type": "tool_use", "id": "toolu_fake", "name": "emit_intent", "input": reply["tool_intent"]}],
                           stop_reason="tool_use")
            return self.send(status, message, headers)
        if "refusal" in reply:
            message.update(content=[{"type": "text", "text": reply["refusal"]}], stop_reason="refusal")
            return self.send(status, message, headers)
        if "error" in reply:
            error_type, error_message = reply["error"]
            payload = {"type": "error", "error": {"type": error_type, "message": error_message}, "request_id": "req_body%04d" % index}
            if "error_code" in reply:
                payload["error"]["details"] = {"error_code": reply["error_code"]}
            return self.send(status, payload, headers)
        if "redirect" in reply:
            self.send_response(reply.get("status", 307))
            self.send_header("location", reply["redirect"])
            self.send_header("content-length", "0")
            self.end_headers()
            return
        if "sse" in reply:
            self.send_response(status)
            self.send_header("content-type", "text/event-stream")
            self.send_header("connection", "close")
            self.end_headers()
            for event in reply["sse"]:
                time.sleep(event.get("delay", 0))
                self.wfile.write(("event: %s\ndata: %s\n\n" % (event["event"], json.dumps(event["data"]))).encode())
                self.wfile.flush()
            self.close_connection = True
            return
        if "raw" in reply:
            return self.send(status, reply["raw"], headers, raw=True)
        return self.send(status, reply.get("body", {}), headers)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
