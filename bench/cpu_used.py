#!/usr/bin/env python3
"""Runs a command and says where the machine's CPU went meanwhile, in cores (CPU seconds per second of wall time).
   cpu_used.py OUT SERVER_PIDS -- COMMAND...
SERVER_PIDS: comma-separated pids of the server under test (with their child processes, e.g. uvicorn's workers).
The command's output passes through; OUT gets one line: server, PostgreSQL (every postgres process) and the
command itself (the client), e.g. "0.66 0.85 0.39". A backend that ends during the command is not counted.
CPU_USED_POSTMASTER_PID, when set, counts only that postmaster and its children as PostgreSQL."""
import os
import resource
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (all threads)
    except (OSError, IndexError, ValueError):
        return 0


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


# the postmaster of the PostgreSQL server under test: only it and its backends count as PostgreSQL (on a machine
# shared with other servers, such as tests' embedded ones); every postgres process when not set
POSTMASTER = int(os.environ.get("CPU_USED_POSTMASTER_PID", "0") or 0)


def snapshot(servers):
    server = sum(ticks(p) + sum(ticks(c) for c in children(p)) for p in servers)
    if POSTMASTER:
        return server, ticks(POSTMASTER) + sum(ticks(c) for c in children(POSTMASTER))
    postgres = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() in ("postgres", "postmaster"):
                        postgres += ticks(entry)
            except OSError:
                pass
    return server, postgres


out, servers = sys.argv[1], [int(p) for p in sys.argv[2].split(",") if p]
command = sys.argv[sys.argv.index("--") + 1:]
before, start = snapshot(servers), time.monotonic()
code = subprocess.run(command).returncode
after, wall = snapshot(servers), time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    f.write(f"{(after[0] - before[0]) / TICK / wall:.2f} {(after[1] - before[1]) / TICK / wall:.2f} "
            f"{(usage.ru_utime + usage.ru_stime) / wall:.2f}\n")
sys.exit(code)
