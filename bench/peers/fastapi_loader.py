"""The usual Python answer to the bulk-loader's job, as the benchmark's peer: FastAPI with an asyncpg pool.

POST /api/v1/tables/{table}/rows with a JSON array, NDJSON or CSV (header row) body; the rows are
cut into chunks and written with copy_records_to_table, all in one transaction per request; the answer
is {"rowsReceived": n, "rowsInserted": n}. Run it with 2 uvicorn workers:

    PEER_DATABASE_URL=postgresql://postgres:postgres@localhost:5432/bench \
      python3 -m uvicorn --app-dir bench/peers fastapi_loader:app --workers 2 --port 18081
"""
import csv
import datetime
import decimal
import io
import json
import os

import socket

import asyncpg
from fastapi import FastAPI, HTTPException, Request
from uvicorn.protocols.http.h11_impl import H11Protocol

CHUNK = 5000
app = FastAPI()
pool = None
tables = {}  # table -> {column: converter from the payload's value to what binary COPY wants}

CONVERTERS = {
    "int2": int, "int4": int, "int8": int, "float4": float, "float8": float, "numeric": decimal.Decimal,
    "bool": lambda v: v if isinstance(v, bool) else str(v).lower() in ("t", "true", "1", "yes", "on"),
    "timestamptz": lambda v: datetime.datetime.fromisoformat(v.replace("Z", "+00:00")),
    "timestamp": datetime.datetime.fromisoformat, "date": datetime.date.fromisoformat,
}


# uvicorn's socket for several workers is made with proto 0, so asyncio leaves Nagle on: a kept-alive
# client would wait for its delayed ACK (40 ms) on every response. Set TCP_NODELAY as a single worker has it.
_connection_made = H11Protocol.connection_made


def connection_made(self, transport):
    transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    _connection_made(self, transport)


H11Protocol.connection_made = connection_made


@app.on_event("startup")
async def startup():
    global pool
    pool = await asyncpg.create_pool(os.environ["PEER_DATABASE_URL"], min_size=2, max_size=10)


async def columns(connection, table):
    if table not in tables:
        found = await connection.fetch(
            "select a.attname, t.typname from pg_attribute a join pg_type t on t.oid = a.atttypid "
            "where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped", table)
        if not found:
            raise HTTPException(404, "no such table")
        tables[table] = {r["attname"]: CONVERTERS.get(r["typname"], str) for r in found}
    return tables[table]


async def lines(request):
    rest = b""
    async for piece in request.stream():
        rest += piece
        *complete, rest = rest.split(b"\n")
        for line in complete:
            yield line
    if rest:
        yield rest


async def objects(request, kind):
    if kind == "json":
        body = b"".join([piece async for piece in request.stream()])  # json.loads needs it whole
        for item in json.loads(body):
            yield item
    elif kind == "ndjson":
        async for line in lines(request):
            if line.strip():
                yield json.loads(line)
    else:
        header = None
        async for line in lines(request):
            fields = next(csv.reader(io.StringIO(line.decode())))  # quoted newlines are out of scope
            if header is None:
                header = fields
            else:
                yield {name: (value if value != "" else None) for name, value in zip(header, fields)}


@app.post("/api/v1/tables/{table}/rows")
async def load(table: str, request: Request):
    media = request.headers.get("content-type", "").split(";")[0].strip()
    kind = {"application/json": "json", "application/x-ndjson": "ndjson", "text/csv": "csv"}.get(media)
    if kind is None:
        raise HTTPException(415, "unsupported media type")
    schema, _, name = table.rpartition(".")
    schema = schema or "public"
    received = inserted = 0
    async with pool.acquire() as connection:
        types = await columns(connection, f"{schema}.{name}")
        async with connection.transaction():
            chunk, names = [], None
            async for item in objects(request, kind):
                if names is None:
                    names = [n for n in item if n in types]
                    convert = [types[n] for n in names]
                if len(item) != len(names):
                    raise HTTPException(400, "every row needs the same columns")
                chunk.append(tuple(None if item[n] is None else c(item[n]) for n, c in zip(names, convert)))
                received += 1
                if len(chunk) >= CHUNK:
                    inserted += await copy(connection, schema, name, names, chunk)
                    chunk = []
            if chunk:
                inserted += await copy(connection, schema, name, names, chunk)
    return {"rowsReceived": received, "rowsInserted": inserted}


async def copy(connection, schema, name, names, chunk):
    status = await connection.copy_records_to_table(name, schema_name=schema, columns=names, records=chunk)
    return int(status.split()[-1])
