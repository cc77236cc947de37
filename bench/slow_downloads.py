#!/usr/bin/env python3
"""Rejects downloads read slowly: do loads and the registry keep answering?

Stores 20,000 rejects of one load, then times 1-row loads and GET /api/v1/loads with no download open, and again
with N downloads of those rejects open whose clients read only the first bytes (a 4 KiB receive buffer, then
nothing). Also counts the service's database connections held "idle in transaction" meanwhile.

usage: slow_downloads.py PORT DATABASE_URL [DOWNLOADS]   (API key in $BENCH_API_KEY)
prints: one markdown row per phase: phase | loads ok / sent | load mean ms | load max ms | listing ok / sent |
        listing mean ms | listing max ms | downloads answering | connections idle in transaction
"""
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time

PORT = int(sys.argv[1])
DB = sys.argv[2]
DOWNLOADS = int(sys.argv[3]) if len(sys.argv) > 3 else 50
KEY = os.environ.get("BENCH_API_KEY", "")
REJECTS = 20_000
TIMEOUT = 35


def psql(sql):
    return subprocess.run(["psql", DB, "-qtAc", sql], check=True, capture_output=True, text=True).stdout.strip()


def request(method, path, body=None, content_type=None):
    connection = http.client.HTTPConnection("localhost", PORT, timeout=TIMEOUT)
    headers = {"X-API-Key": KEY}
    if content_type:
        headers["Content-Type"] = content_type
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, data, (time.perf_counter() - started) * 1000
    except OSError:
        return 0, b"", (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def phase(name, n=10):
    loads, listings = [], []
    for i in range(n):
        status, _, ms = request("POST", "/api/v1/tables/bench_small/rows", f"n\n{i}\n".encode(), "text/csv")
        loads.append((status, ms))
        status, _, ms = request("GET", "/api/v1/loads?limit=5")
        listings.append((status, ms))
    idle = psql("select count(*) from pg_stat_activity where datname = current_database() and "
                "application_name like 'bulk%' and state like 'idle in transaction%'")
    return name, loads, listings, idle


def row(result, answering):
    name, loads, listings, idle = result
    ok_loads = [ms for status, ms in loads if status == 200]
    ok_list = [ms for status, ms in listings if status == 200]
    all_loads = [ms for _, ms in loads]
    all_list = [ms for _, ms in listings]
    print(f"| {name} | {len(ok_loads)} / {len(loads)} | {statistics.mean(all_loads):.1f} | {max(all_loads):.1f} | "
          f"{len(ok_list)} / {len(listings)} | {statistics.mean(all_list):.1f} | {max(all_list):.1f} | "
          f"{answering} | {idle} |")


def main():
    psql("drop table if exists public.bench_rejects, public.bench_small")
    psql("create table public.bench_rejects (id int primary key, n int check (n > 0), note text)")
    psql("create table public.bench_small (n int)")
    note = "x" * 600
    body = "id,n,note\n" + "".join(f"{i},-1,{note}\n" for i in range(1, REJECTS + 1))
    status, data, _ = request("POST", "/api/v1/tables/bench_rejects/rows?onError=skip", body.encode(), "text/csv")
    if status != 200:
        sys.exit(f"storing rejects failed: {status} {data[:300]!r}")
    load_id = json.loads(data)["id"]
    row(phase("no download open"), 0)
    sockets = []
    answering = 0
    for _ in range(DOWNLOADS):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(TIMEOUT)
        s.connect(("localhost", PORT))
        s.sendall(f"GET /api/v1/loads/{load_id}/rejects HTTP/1.1\r\nHost: localhost\r\nX-API-Key: {KEY}\r\n\r\n"
                  .encode())
        sockets.append(s)
    for s in sockets:
        try:
            if s.recv(12).startswith(b"HTTP/1.1 200"):
                answering += 1
        except OSError:
            pass
    row(phase(f"{DOWNLOADS} downloads open, read no further"), answering)
    for s in sockets:
        s.close()
    psql("drop table if exists public.bench_rejects, public.bench_small")


if __name__ == "__main__":
    main()
