#!/usr/bin/env python3
"""Issue 21.6's prototype, outside the service: PostgreSQL's own CPU per row for COPY … (FORMAT text), which the
service sends, against COPY … (FORMAT binary) of the same rows, into the typed events table (bigint, numeric,
timestamptz, boolean, char(2), text; gen_events.py's rows). Each run recreates the table and loads the rows in one
COPY on a fresh connection; the CPU counted is that connection's backend's only (/proc/<pid>/stat, utime + stime),
so the client's encoding and other work on the machine do not count. Runs alternate text and binary.
   binary_copy.py DATABASE_URL ROWS RUNS
Needs asyncpg (Debian's python3-asyncpg): its copy_records_to_table sends binary COPY, copy_to_table a text file."""
import asyncio
import datetime
import decimal
import io
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_events  # noqa: E402

import asyncpg  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
TABLE = ("create table public.events_copy (event_id bigint primary key, user_id bigint not null, kind text not "
         "null, amount numeric(12,2), created_at timestamptz not null, active boolean, country char(2), payload text)")


def ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def text_value(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


async def run(url, rows, binary, text_bytes, records):
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("drop table if exists public.events_copy")
        await connection.execute(TABLE)
        pid = await connection.fetchval("select pg_backend_pid()")
        before, start = ticks(pid), time.monotonic()
        if binary:
            await connection.copy_records_to_table("events_copy", records=records)
        else:
            await connection.copy_to_table("events_copy", source=io.BytesIO(text_bytes), format="text")
        wall = time.monotonic() - start
        cpu = (ticks(pid) - before) / TICK
        count = await connection.fetchval("select count(*) from public.events_copy")
        assert count == rows, count
        return wall, cpu
    finally:
        await connection.close()


def main():
    url, rows, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    raw = list(gen_events.rows(rows))
    text_bytes = "".join("\t".join(text_value(v) for v in row) + "\n" for row in raw).encode()
    records = [(r[0], r[1], r[2], None if r[3] is None else decimal.Decimal(r[3]),
                datetime.datetime.fromisoformat(r[4].replace("Z", "+00:00")), r[5], r[6], r[7]) for r in raw]
    results = {False: [], True: []}
    for _ in range(runs):
        for binary in (False, True):
            results[binary].append(asyncio.run(run(url, rows, binary, text_bytes, records)))
    for binary in (False, True):
        cpu = statistics.median(c for _, c in results[binary])
        wall = statistics.median(w for w, _ in results[binary])
        print(f"{'binary' if binary else 'text'}: backend CPU {cpu:.2f} s ({cpu / rows * 1e6:.2f} µs per row), "
              f"wall {wall:.2f} s; runs (wall, CPU): {results[binary]}")
    text_cpu = statistics.median(c for _, c in results[False])
    binary_cpu = statistics.median(c for _, c in results[True])
    print(f"binary / text, PostgreSQL CPU per row: {binary_cpu / text_cpu:.2f}")


if __name__ == "__main__":
    main()
