#!/usr/bin/env python3
"""Streams users rows as CSV to stdout until the given number of bytes is reached (no file on disk)."""
import sys

limit = int(sys.argv[1])
out = sys.stdout.buffer
out.write(b"name,email\n")
written, i, chunk = 11, 0, []
while written < limit:
    block = "".join(f"big_{n},big_{n}@example.com\n" for n in range(i, i + 10000)).encode()
    i += 10000
    out.write(block)
    written += len(block)
print(i, file=sys.stderr)
