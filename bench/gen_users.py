#!/usr/bin/env python3
"""Writes the deterministic users data set: user_i,user_i@example.com for i in 1..N, as csv, ndjson or json."""
import sys

def main():
    fmt, rows, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, "w", encoding="utf-8", newline="") as out:
        if fmt == "csv":
            out.write("name,email\n")
            for i in range(1, rows + 1):
                out.write(f"user_{i},user_{i}@example.com\n")
        elif fmt == "ndjson":
            for i in range(1, rows + 1):
                out.write(f'{{"name":"user_{i}","email":"user_{i}@example.com"}}\n')
        elif fmt == "json":
            out.write("[\n")
            for i in range(1, rows + 1):
                sep = ",\n" if i < rows else "\n"
                out.write(f'{{"name":"user_{i}","email":"user_{i}@example.com"}}{sep}')
            out.write("]\n")
        else:
            raise SystemExit("format must be csv, ndjson or json")

if __name__ == "__main__":
    main()
