#!/usr/bin/env python3
"""Writes the items data sets for the write-mode benchmark, deterministically.

clean:  id,code,qty,parent_id for id 1..N
bad:    the same with every 100th record bad, cycling through six kinds: a type error, a NOT NULL
        violation, a primary key repeated within the payload, a key already in the table (the table
        is seeded with ids -1..-10000), a foreign-key miss and a CHECK violation
upsert: ids N/2+1 .. N/2+N, so that half of them exist after a clean load
"""
import sys

def main():
    kind, rows, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    offset = rows // 2 if kind == "upsert" else 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("id,code,qty,parent_id\n")
        for record in range(1, rows + 1):
            i = record + offset
            ident, code, qty, parent = i, f"code_{i}", str(i % 1000), str(1 + i % 100)
            if kind == "bad" and record % 100 == 0:
                k = (record // 100) % 6
                if k == 0:
                    qty = "x"
                elif k == 1:
                    code = ""
                elif k == 2:
                    ident = i - 1
                    code = f"dup_{i}"
                elif k == 3:
                    ident = -(1 + (record // 100) % 10000)
                    code = f"old_{i}"
                elif k == 4:
                    parent = "999"
                else:
                    qty = "-1"
            out.write(f"{ident},{code},{qty},{parent}\n")

if __name__ == "__main__":
    main()
