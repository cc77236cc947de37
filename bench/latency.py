#!/usr/bin/env python3
"""One client posts small JSON-array loads one after another on a kept-alive connection and times each.
   latency.py PORT TABLE LOADS ROWS [WARMUP] [PREFIX]
Prints: mean, p50 and p99 latency in ms of the measured loads (the warm-up loads are not counted)."""
import http.client
import json
import os
import statistics
import sys
import time

port, table, loads, rows = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
warmup = int(sys.argv[5]) if len(sys.argv) > 5 else 200
prefix = sys.argv[6] if len(sys.argv) > 6 else "l"
connection = http.client.HTTPConnection("localhost", port, timeout=60)
headers = {"Content-Type": "application/json"}
if os.environ.get("BENCH_API_KEY"):  # the service checks it; the peer ignores it
    headers["X-API-Key"] = os.environ["BENCH_API_KEY"]
latencies = []
for n in range(warmup + loads):
    base = n * rows
    payload = json.dumps([{"name": f"{prefix}_{base + i}", "email": f"{prefix}_{base + i}@example.com"}
                          for i in range(rows)]).encode()
    start = time.perf_counter()
    connection.request("POST", f"/api/v1/tables/{table}/rows", payload, headers)
    response = connection.getresponse()
    text = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200 or json.loads(text)["rowsInserted"] != rows:
        raise SystemExit(f"load {n}: {response.status} {text[:300]!r}")
    if n >= warmup:
        latencies.append(elapsed)
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"{statistics.mean(latencies):.2f} {p(0.5):.2f} {p(0.99):.2f}")
