#!/usr/bin/env python3
"""Clients each post loads of a JSON array (or NDJSON) of rows; a 503 is retried after its Retry-After.
   concurrent_loads.py PORT TABLE CLIENTS LOADS ROWS [json|ndjson] [PREFIX]
Prints: total rows/s, p50 and p99 latency (ms) of the successful requests, the 503 count and the errors."""
import http.client
import json
import os
import sys
import threading
import time

port, table, clients, loads, rows = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
kind = sys.argv[6] if len(sys.argv) > 6 else "json"
prefix = sys.argv[7] if len(sys.argv) > 7 else "c"
media = {"json": "application/json", "ndjson": "application/x-ndjson"}[kind]
headers = {"Content-Type": media}
if os.environ.get("BENCH_API_KEY"):  # the service checks it; the peer ignores it
    headers["X-API-Key"] = os.environ["BENCH_API_KEY"]
latencies, busy, errors = [], [0], []
lock = threading.Lock()


def body(client, load):
    base = (client * loads + load) * rows
    items = [{"name": f"{prefix}_{base + i}", "email": f"{prefix}_{base + i}@example.com"} for i in range(rows)]
    if kind == "ndjson":
        return "".join(json.dumps(item) + "\n" for item in items).encode()
    return json.dumps(items).encode()


def run(client):
    connection = http.client.HTTPConnection("localhost", port, timeout=120)
    for load in range(loads):
        payload = body(client, load)
        while True:
            start = time.perf_counter()
            connection.request("POST", f"/api/v1/tables/{table}/rows", payload, headers)
            response = connection.getresponse()
            text = response.read()
            elapsed = (time.perf_counter() - start) * 1000
            if response.status == 503:
                with lock:
                    busy[0] += 1
                time.sleep(float(response.getheader("Retry-After", "1")))
                continue
            with lock:
                if response.status == 200 and json.loads(text)["rowsInserted"] == rows:
                    latencies.append(elapsed)
                else:
                    errors.append((response.status, text[:200]))
            break


threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
started = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - started
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")
print(f"{len(latencies) * rows / elapsed:.0f} {p(0.5):.1f} {p(0.99):.1f} {busy[0]} {len(errors)}")
if errors:
    print(errors[:3], file=sys.stderr)
