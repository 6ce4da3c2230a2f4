#!/usr/bin/env python3
"""A fake Shadeform REST API for mybro-gpu's tests, written from the spec (not from the service).

It keeps instances in memory and moves them through the scripted statuses
creating -> pending_provider -> pending -> active, and deleting -> deleted after a delete.
It bills every instance itself (hourly_price cents x billed time, rounded half up to the cent),
checks X-API-KEY, records every request, and injects faults on demand.

Start:   server.py --key KEY [--config FILE] [--port 0]   (prints the port on its first line)
Control (no key needed, not part of Shadeform's API):
  GET  /_fake/requests    every request so far (method, path, query, body, status)
  GET  /_fake/instances   every instance, deleted ones included, with its billed cents
  GET  /_fake/billing     {"total_cents": N, "instances": {id: cents}}
  POST /_fake/config      merge a JSON object into the configuration (keys below)

Configuration keys:
  step_seconds          how long each scripted status lasts (0.3)
  deleting_seconds      how long a deleted instance stays in deleting before it is gone (2)
  billing_speed         billed seconds per real second (3600: one real second bills an hour)
  capacity              offers (fnmatch patterns on "cloud/region/type") whose create answers
                        400 {"message": "... out of capacity"}
  never_active          patterns: the instance stays pending for ever
  error_on_boot         patterns: the instance goes to error instead of active
  delete_fail_once      the first delete of each instance answers 500
  throttle              the next N requests answer 429 with Retry-After: retry_after (1)
  server_errors         the next N GET requests answer 503
  slow_seconds          every answer waits this long first
  lose_create_response  the next N creates make the instance but answer 502
  honour_auto_delete    delete instances past auto_delete's thresholds (false: tests prove
                        that mybro itself tears down)
  ssh                   {"ip", "port", "user"} given to active instances
  authorized_keys       a file that /sshkeys/add appends each public key to (the "instance")
  types                 the catalog (defaults below)
"""
import argparse
import fnmatch
import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def instance_type(cloud, shade_type, cloud_type, gpu, count, vram, cents, regions, boot, interconnect="pcie",
                  nvlink=False, spot=None):
    availability = []
    for region, available in regions:
        availability.append({"region": region, "available": available, "display_name": region.upper(),
                             "rental_type": "on_demand"})
        if spot is not None:
            availability.append({"region": region, "available": available, "display_name": region.upper(),
                                 "rental_type": "spot", "hourly_price": spot})
    return {
        "cloud": cloud, "shade_instance_type": shade_type, "cloud_instance_type": cloud_type,
        "configuration": {"memory_in_gb": 64 * count, "storage_in_gb": 512, "vcpus": 8 * count,
                          "num_gpus": count, "gpu_type": gpu, "interconnect": interconnect, "nvlink": nvlink,
                          "vram_per_gpu_in_gb": vram, "gpu_manufacturer": "nvidia",
                          "os_options": ["ubuntu22.04_cuda12.2_shade_os", "ubuntu20.04_cuda12.0_shade_os"]},
        "hourly_price": cents, "deployment_type": "vm", "availability": availability,
        "boot_time": {"min_boot_in_sec": boot[0], "max_boot_in_sec": boot[1]},
    }


DEFAULT_TYPES = [
    instance_type("hyperstack", "H100", "gpu_1x_h100", "H100", 1, 80, 249,
                  [("canada-1", True), ("us-central-1", True), ("norway-1", False)], (180, 300), spot="1.50"),
    instance_type("lambdalabs", "H100", "gpu_1x_h100_pcie", "H100", 1, 80, 259,
                  [("us-west-1", True), ("us-east-1", True)], (120, 240)),
    instance_type("runpod", "H100", "h100-1x", "H100", 1, 80, 239, [("eu-se-1", True)], (60, 600)),
    instance_type("datacrunch", "H100_sxm5x8", "H100_80GB_SXM_8x", "H100", 8, 80, 1999,
                  [("fin-01", True)], (300, 900), interconnect="sxm5", nvlink=True),
    instance_type("hyperstack", "A100_80G", "gpu_1x_a100_80g", "A100_80G", 1, 80, 165,
                  [("canada-1", True), ("us-central-1", True)], (180, 300)),
    instance_type("lambdalabs", "A100", "gpu_1x_a100", "A100", 1, 40, 129, [("us-east-1", True)], (120, 240)),
    instance_type("lambdalabs", "A100x4", "gpu_4x_a100", "A100", 4, 40, 516,
                  [("us-east-1", True)], (120, 300), interconnect="nvlink", nvlink=True),
    instance_type("runpod", "RTX4090", "rtx4090-1x", "RTX4090", 1, 24, 69,
                  [("eu-se-1", True), ("us-tx-1", True)], (30, 90)),
    instance_type("massedcompute", "A6000", "gpu_1x_a6000", "A6000", 1, 48, 57, [("us-central-2", True)], (90, 180)),
]


class Fake:
    def __init__(self, key, config):
        self.key = key
        self.lock = threading.Lock()
        self.config = {
            "step_seconds": 0.3, "deleting_seconds": 2, "billing_speed": 3600, "capacity": [], "never_active": [], "error_on_boot": [],
            "delete_fail_once": False, "throttle": 0, "retry_after": 1, "server_errors": 0, "slow_seconds": 0,
            "lose_create_response": 0, "honour_auto_delete": False,
            "ssh": {"ip": "127.0.0.1", "port": 22, "user": "shadeform"}, "authorized_keys": None,
            "types": DEFAULT_TYPES,
        }
        self.config.update(config)
        self.instances = {}
        self.ssh_keys = {}
        self.requests = []

    # -- instances --------------------------------------------------------------------------------------------
    def matches(self, patterns, instance):
        offer = "%s/%s/%s" % (instance["cloud"], instance["region"], instance["shade_instance_type"])
        return any(fnmatch.fnmatchcase(offer, pattern) for pattern in patterns)

    def status_of(self, instance, now):
        if instance["deleted_at_t"] is not None:
            return "deleted" if now >= instance["deleted_at_t"] + self.config["deleting_seconds"] else "deleting"
        step = self.config["step_seconds"]
        elapsed = now - instance["created_t"]
        if elapsed < step:
            return "creating"
        if elapsed < 2 * step:
            return "pending_provider"
        if instance["never_active"] or elapsed < 3 * step:
            return "pending"
        return "error" if instance["error_on_boot"] else "active"

    def active_since(self, instance):
        if instance["never_active"] or instance["error_on_boot"]:
            return None
        return instance["created_t"] + 3 * self.config["step_seconds"]

    def billed_cents(self, instance, now):
        start = self.active_since(instance)
        end = now if instance["deleted_at_t"] is None else instance["deleted_at_t"]
        if start is None or end <= start:
            return 0
        billed_seconds = int((end - start) * self.config["billing_speed"])
        return (instance["hourly_price"] * billed_seconds + 1800) // 3600

    def view(self, instance, now):
        status = self.status_of(instance, now)
        active = status == "active"
        ssh = self.config["ssh"]
        cents = self.billed_cents(instance, now)
        start = self.active_since(instance)
        return {
            "id": instance["id"], "cloud": instance["cloud"], "region": instance["region"],
            "shade_instance_type": instance["shade_instance_type"],
            "cloud_instance_type": instance["cloud_instance_type"], "cloud_assigned_id": "fake-" + instance["id"][:8],
            "shade_cloud": True, "name": instance["name"], "configuration": instance["configuration"],
            "ip": ssh["ip"] if active else None, "ssh_user": ssh["user"], "ssh_port": ssh["port"],
            "status": status, "status_details": "preempted" if False else None,
            "cost_estimate": "%d.%02d" % (cents // 100, cents % 100), "hourly_price": instance["hourly_price"],
            "tags": instance["tags"], "created_at": iso(instance["created_t"]),
            "active_at": iso(start) if start is not None and now >= start else None,
            "deleted_at": iso(instance["deleted_at_t"]) if instance["deleted_at_t"] is not None else None,
            "auto_delete": instance["auto_delete"], "ssh_key_id": instance["ssh_key_id"],
        }

    def sweep(self, now):
        """Honours auto_delete when asked to (the provider's safety net)."""
        if not self.config["honour_auto_delete"]:
            return
        for instance in self.instances.values():
            if instance["deleted_at_t"] is not None:
                continue
            rule = instance["auto_delete"] or {}
            spend = rule.get("spend_threshold")
            if spend is not None and self.billed_cents(instance, now) >= round(float(spend) * 100):
                instance["deleted_at_t"] = now
                instance["auto_deleted"] = True


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % int((t % 1) * 1000)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_request("GET")

    def do_POST(self):
        self.handle_request("POST")

    def do_DELETE(self):
        self.handle_request("DELETE")

    def do_PUT(self):
        self.handle_request("PUT")

    def handle_request(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlparse(self.path)
        fake = self.fake
        if url.path.startswith("/_fake/"):
            return self.control(method, url.path, raw)
        with fake.lock:
            slow = fake.config["slow_seconds"]
        if slow:
            time.sleep(slow)
        with fake.lock:
            status, body, headers = self.route(method, url, raw)
            fake.requests.append({
                "method": method, "path": url.path, "query": url.query,
                "body": raw.decode("utf-8", "replace"), "status": status, "t": time.time(),
                "has_content_type": "Content-Type" in self.headers,
            })
        self.reply(status, body, headers)

    def reply(self, status, body, headers=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def control(self, method, path, raw):
        fake = self.fake
        with fake.lock:
            now = time.time()
            if path == "/_fake/requests":
                return self.reply(200, fake.requests)
            if path == "/_fake/instances":
                views = []
                for instance in fake.instances.values():
                    view = fake.view(instance, now)
                    view["billed_cents"] = fake.billed_cents(instance, now)
                    view["auto_deleted"] = instance.get("auto_deleted", False)
                    views.append(view)
                return self.reply(200, views)
            if path == "/_fake/billing":
                bills = {i["id"]: fake.billed_cents(i, now) for i in fake.instances.values()}
                return self.reply(200, {"total_cents": sum(bills.values()), "instances": bills})
            if path == "/_fake/config" and method == "POST":
                fake.config.update(json.loads(raw or b"{}"))
                return self.reply(200, {})
        return self.reply(404, {"message": "no such control path"})

    def route(self, method, url, raw):
        fake = self.fake
        now = time.time()
        fake.sweep(now)
        if self.headers.get("X-API-KEY") != fake.key:
            return 401, {"message": "Invalid API key"}, None
        if fake.config["throttle"] > 0:
            fake.config["throttle"] -= 1
            return 429, {"message": "Too many requests"}, {"Retry-After": str(fake.config["retry_after"])}
        if method == "GET" and fake.config["server_errors"] > 0:
            fake.config["server_errors"] -= 1
            return 503, {"message": "Service unavailable"}, None
        parts = [p for p in url.path.split("/") if p]
        if not parts or parts[0] != "v1":
            return 404, {"message": "not found"}, None
        parts = parts[1:]
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        body = None
        if method == "POST" and raw:
            try:
                body = json.loads(raw)
            except ValueError:
                return 400, {"message": "body is not JSON"}, None
        if method not in ("GET", "POST"):
            return 405, {"message": "method not allowed"}, None

        if parts == ["instances", "types"] and method == "GET":
            return 200, {"instance_types": self.types(query)}, None
        if parts == ["instances"] and method == "GET":
            views = [fake.view(i, now) for i in fake.instances.values()]
            return 200, {"instances": [v for v in views if v["status"] != "deleted"]}, None
        if parts == ["instances", "create"] and method == "POST":
            return self.create(body or {}, now)
        if len(parts) == 3 and parts[0] == "instances":
            instance = fake.instances.get(parts[1])
            if instance is None or fake.status_of(instance, now) == "deleted":
                return 404, {"message": "Instance not found"}, None
            if parts[2] == "info" and method == "GET":
                return 200, fake.view(instance, now), None
            if parts[2] == "delete" and method == "POST":
                if fake.config["delete_fail_once"] and not instance["delete_failed"]:
                    instance["delete_failed"] = True
                    return 500, {"message": "Internal error while deleting"}, None
                if instance["deleted_at_t"] is None:
                    instance["deleted_at_t"] = now
                return 200, None, None
            if parts[2] == "update" and method == "POST":
                for key in ("name", "auto_delete", "tags"):
                    if body and key in body:
                        instance[key] = body[key]
                return 200, None, None
            return 404, {"message": "not found"}, None
        if parts == ["sshkeys"] and method == "GET":
            return 200, {"ssh_keys": list(fake.ssh_keys.values())}, None
        if parts == ["sshkeys", "add"] and method == "POST":
            if not body or not body.get("name") or not body.get("public_key"):
                return 400, {"message": "name and public_key are required"}, None
            key_id = str(uuid.uuid4())
            fake.ssh_keys[key_id] = {"id": key_id, "name": body["name"], "public_key": body["public_key"],
                                     "is_default": False}
            path = fake.config["authorized_keys"]
            if path:
                with open(path, "a") as handle:
                    handle.write(body["public_key"].strip() + "\n")
            return 200, {"id": key_id}, None
        if len(parts) == 3 and parts[0] == "sshkeys" and parts[2] == "info" and method == "GET":
            key = fake.ssh_keys.get(parts[1])
            return (200, key, None) if key else (404, {"message": "SSH key not found"}, None)
        return 404, {"message": "not found"}, None

    def types(self, query):
        result = []
        for entry in self.fake.config["types"]:
            config = entry["configuration"]
            if "cloud" in query and entry["cloud"] != query["cloud"]:
                continue
            if "gpu_type" in query and config["gpu_type"] != query["gpu_type"]:
                continue
            if "num_gpus" in query and str(config["num_gpus"]) != query["num_gpus"]:
                continue
            if "shade_instance_type" in query and entry["shade_instance_type"] != query["shade_instance_type"]:
                continue
            entry = json.loads(json.dumps(entry))
            if "region" in query:
                entry["availability"] = [a for a in entry["availability"] if a["region"] == query["region"]]
            if query.get("available") == "true":
                entry["availability"] = [a for a in entry["availability"] if a["available"]]
            result.append(entry)
        if query.get("sort") == "price":
            result.sort(key=lambda e: e["hourly_price"])
        return result

    def create(self, body, now):
        fake = self.fake
        for field in ("cloud", "region", "shade_instance_type", "shade_cloud", "name"):
            if field not in body:
                return 400, {"message": "missing required field: %s" % field}, None
        match = None
        for entry in fake.config["types"]:
            if entry["cloud"] == body["cloud"] and entry["shade_instance_type"] == body["shade_instance_type"]:
                match = entry
        if match is None:
            return 400, {"message": "unknown instance type %s on %s" % (body["shade_instance_type"], body["cloud"])}, None
        rental = body.get("rental_type", "on_demand")
        regions = [a for a in match["availability"] if a["region"] == body["region"]
                   and a.get("rental_type", "on_demand") == rental]
        if not regions:
            return 400, {"message": "unknown region %s" % body["region"]}, None
        if "os" in body and body["os"] not in match["configuration"]["os_options"]:
            return 400, {"message": "os %s is not offered" % body["os"]}, None
        if body.get("ssh_key_id") and body["ssh_key_id"] not in fake.ssh_keys:
            return 400, {"message": "unknown ssh_key_id"}, None
        price = match["hourly_price"]
        if rental == "spot":
            dollars = regions[0]["hourly_price"]
            price = int(round(float(dollars) * 100))
        instance = {
            "id": str(uuid.uuid4()), "cloud": body["cloud"], "region": body["region"],
            "shade_instance_type": body["shade_instance_type"], "cloud_instance_type": match["cloud_instance_type"],
            "configuration": dict(match["configuration"], os=body.get("os", match["configuration"]["os_options"][0])),
            "name": body["name"], "hourly_price": price, "tags": body.get("tags") or [],
            "auto_delete": body.get("auto_delete"), "ssh_key_id": body.get("ssh_key_id"),
            "created_t": now, "deleted_at_t": None, "delete_failed": False,
        }
        if not regions[0]["available"] or fake.matches(fake.config["capacity"], instance):
            return 400, {"message": "Instance type %s is out of capacity in %s" % (body["shade_instance_type"],
                                                                                    body["region"])}, None
        instance["never_active"] = fake.matches(fake.config["never_active"], instance)
        instance["error_on_boot"] = fake.matches(fake.config["error_on_boot"], instance)
        fake.instances[instance["id"]] = instance
        if fake.config["lose_create_response"] > 0:
            fake.config["lose_create_response"] -= 1
            return 502, {"message": "Bad gateway"}, None
        return 200, {"id": instance["id"]}, None


def main():
    parser = argparse.ArgumentParser(description="A fake Shadeform API for tests")
    parser.add_argument("--key", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--config", help="a JSON file with configuration keys")
    arguments = parser.parse_args()
    config = {}
    if arguments.config:
        with open(arguments.config) as handle:
            config = json.load(handle)
    Handler.fake = Fake(arguments.key, config)
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
