#!/usr/bin/env python3
"""A burst: N connections opened at once, each posting a 10-row JSON array load (mode "load"), or sending only
the headers of one and then closing its side (mode "early-close": the service finds the body ended early), or
asking for the table list (mode "tables": requests that are not loads pass the admission gate).
Meanwhile the heap in use is sampled from the management port's /actuator/prometheus and /livez on the main
port is probed; afterwards one normal load must succeed.

Usage: burst.py PORT MANAGEMENT_PORT TABLE CONNECTIONS MODE
Prints one line: ok(200) busy(503) share(429) other unanswered max_heap_mib heap_max_mib livez_ok livez_failed
livez_max_ms after_status seconds management_liveness_failed management_liveness_max_ms, and to stderr the other statuses and failures seen."""
import asyncio
import collections
import json
import os
import resource
import sys
import time
import urllib.request

port, management_port, table, connections, mode = (int(sys.argv[1]), int(sys.argv[2]), sys.argv[3],
                                                    int(sys.argv[4]), sys.argv[5])
TIMEOUT = 180.0
API_KEY = os.environ.get("BENCH_API_KEY", "")
AUTH = f"X-API-Key: {API_KEY}\r\n" if API_KEY else ""

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < connections + 100:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, connections + 1000), hard))


def body(i):
    return json.dumps([{"name": f"burst_{i}_{r}", "email": f"burst_{i}_{r}@example.com"} for r in range(10)]).encode()


def head(length):
    return (f"POST /api/v1/tables/{table}/rows HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"{AUTH}Content-Length: {length}\r\nConnection: close\r\n\r\n").encode()


async def one(i, start_gate):
    await start_gate.wait()
    payload = body(i)
    writer = None
    try:
        reader, writer = await asyncio.open_connection("localhost", port)
        if mode == "load":
            writer.write(head(len(payload)) + payload)
        elif mode == "tables":
            writer.write(f"GET /api/v1/tables HTTP/1.1\r\nHost: localhost\r\n{AUTH}Connection: close\r\n\r\n".encode())
        else:
            # the headers promise a body that never comes: the client stops sending after them
            writer.write(head(len(payload)))
        await writer.drain()
        if mode == "early-close":
            writer.write_eof()
        status_line = await reader.readline()
        if not status_line:
            return "unanswered", "closed without an answer"
        await reader.read()  # the rest of the answer, to the close
        return int(status_line.split()[1]), None
    except (OSError, asyncio.IncompleteReadError, IndexError, ValueError) as ex:
        return "unanswered", type(ex).__name__
    finally:
        if writer is not None:
            writer.close()


def scrape_heap():
    text = urllib.request.urlopen(f"http://localhost:{management_port}/actuator/prometheus", timeout=10).read().decode()
    used = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("jvm_memory_used_bytes{") and 'area="heap"' in line)
    maximum = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                  if line.startswith("jvm_memory_max_bytes{") and 'area="heap"' in line and not line.endswith(" -1.0"))
    return used, maximum


def probe(url):
    started = time.perf_counter()
    try:
        status = urllib.request.urlopen(url, timeout=30).status
    except Exception:
        status = 0
    return status == 200, (time.perf_counter() - started) * 1000


def livez():
    """/livez on the main port (it waits behind the burst in the accept queue) and liveness on the management port."""
    main_ok, main_ms = probe(f"http://localhost:{port}/livez")
    management_ok, management_ms = probe(f"http://localhost:{management_port}/actuator/health/liveness")
    return main_ok, main_ms, management_ok, management_ms


async def watch(done, samples, probes):
    loop = asyncio.get_running_loop()
    while not done.is_set():
        try:
            samples.append(await loop.run_in_executor(None, scrape_heap))
        except Exception:
            pass
        probes.append(await loop.run_in_executor(None, livez))
        try:
            await asyncio.wait_for(done.wait(), 0.25)
        except asyncio.TimeoutError:
            pass


def normal_load():
    payload = body(-1)
    request = urllib.request.Request(f"http://localhost:{port}/api/v1/tables/{table}/rows", payload,
                                     {"Content-Type": "application/json", **({"X-API-Key": API_KEY} if API_KEY else {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status if json.load(response)["rowsInserted"] == 10 else -1
    except urllib.error.HTTPError as ex:
        return ex.code
    except Exception:
        return 0


async def main():
    start_gate, done = asyncio.Event(), asyncio.Event()
    samples, probes = [], []
    watcher = asyncio.create_task(watch(done, samples, probes))
    tasks = [asyncio.create_task(asyncio.wait_for(one(i, start_gate), TIMEOUT)) for i in range(connections)]
    await asyncio.sleep(0.5)
    started = time.perf_counter()
    start_gate.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    seconds = time.perf_counter() - started
    done.set()
    await watcher
    counts, failures = collections.Counter(), collections.Counter()
    for result in results:
        if isinstance(result, BaseException):
            counts["unanswered"] += 1
            failures[type(result).__name__] += 1
            continue
        status, failure = result
        counts[status] += 1
        if failure:
            failures[failure] += 1
    after = await asyncio.get_running_loop().run_in_executor(None, normal_load)
    try:
        samples.append(scrape_heap())
    except Exception:
        pass  # the service is gone: the heap figures are the last ones sampled
    maximum = max((s[1] for s in samples), default=0)
    other = sum(n for status, n in counts.items() if status not in (200, 503, 429, "unanswered"))
    ok = sum(1 for good, _, _, _ in probes if good)
    print(counts[200], counts[503], counts[429], other, counts["unanswered"],
          round(max((s[0] for s in samples), default=0) / 1048576), round(maximum / 1048576), ok, len(probes) - ok,
          round(max((ms for _, ms, _, _ in probes), default=0)), after, f"{seconds:.1f}",
          sum(1 for _, _, good, _ in probes if not good), round(max((ms for _, _, _, ms in probes), default=0)))
    print("statuses:", dict(counts), "failures:", dict(failures), file=sys.stderr)


asyncio.run(main())
