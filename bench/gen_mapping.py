#!/usr/bin/env python3
"""Writes the field-mapping bench's data sets (deterministic), the users rows of gen_users.py written as upstreams
send them:
  csv-renamed      the CSV with the header "Full Name,E-mail Address" (loaded with map and match=loose)
  ndjson-extras    the NDJSON with two fields per record that are not columns: "_meta" (a nested object) and
                   "trace_id" (loaded with unknownFields=ignore)
"""
import sys

def main():
    kind, rows, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, "w", encoding="utf-8", newline="") as out:
        if kind == "csv-renamed":
            out.write("Full Name,E-mail Address\n")
            for i in range(1, rows + 1):
                out.write(f"user_{i},user_{i}@example.com\n")
        elif kind == "ndjson-extras":
            for i in range(1, rows + 1):
                out.write(f'{{"name":"user_{i}","_meta":{{"source":"orders","partition":{i % 12},"offset":{i},'
                          f'"tags":["a","b"]}},"email":"user_{i}@example.com","trace_id":"{i * 2654435761 % 2**64:016x}"}}\n')
        else:
            raise SystemExit("kind must be csv-renamed or ndjson-extras")

if __name__ == "__main__":
    main()
