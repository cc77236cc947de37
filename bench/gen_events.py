#!/usr/bin/env python3
"""Writes the deterministic events data set (a wide typed table) as csv, ndjson or json.

events(event_id bigint primary key, user_id bigint not null, kind text not null, amount numeric(12,2),
       created_at timestamptz not null, active boolean, country char(2), payload text)
The payload holds commas and quotes on every row and a newline on every 50th; amount and active are
NULL on every 17th and 23rd row.
"""
import json
import sys

KINDS = ["click", "view", "purchase", "signup", "logout"]
COUNTRIES = ["DE", "FR", "US", "JP", "BR", "IN", "NG", "GB"]


def rows(n):
    for i in range(1, n + 1):
        amount = None if i % 17 == 0 else f"{(i * 37) % 100000 / 100:.2f}"
        active = None if i % 23 == 0 else (i % 2 == 0)
        payload = f'item {i}, "note" {i % 7}, more text'
        if i % 50 == 0:
            payload += "\nsecond line"
        created = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}Z"
        yield i, 1 + i % 50000, KINDS[i % 5], amount, created, active, COUNTRIES[i % 8], payload


def csv_field(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if any(c in text for c in ',"\n\r') or text == "":
        return '"' + text.replace('"', '""') + '"'
    return text


def main():
    fmt, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    names = ["event_id", "user_id", "kind", "amount", "created_at", "active", "country", "payload"]
    with open(path, "w", encoding="utf-8", newline="") as out:
        if fmt == "csv":
            out.write(",".join(names) + "\n")
            for row in rows(n):
                out.write(",".join(csv_field(v) for v in row) + "\n")
        elif fmt in ("ndjson", "json"):
            if fmt == "json":
                out.write("[\n")
            for row in rows(n):
                obj = dict(zip(names, row))
                if obj["amount"] is not None:
                    obj["amount"] = float(obj["amount"])
                line = json.dumps(obj, separators=(",", ":"))
                if fmt == "json":
                    out.write(line + (",\n" if row[0] < n else "\n"))
                else:
                    out.write(line + "\n")
            if fmt == "json":
                out.write("]\n")
        else:
            raise SystemExit("format must be csv, ndjson or json")


if __name__ == "__main__":
    main()
