#!/usr/bin/env bash
# Counts the SQL statements the service sends for one small load: a 10-row JSON `mode=upsert` load
# (5 keys existing, 5 new) and a 10-row plain insert, each after a warm-up load, for one or more jars
# (e.g. the old main and the current one), on the local PostgreSQL server, from its statement log.
#
#   bench/statement_count.sh [label=]jar ...      # default: after=target/bulk-loader.jar
#   bench/statement_count.sh before=/work/wt-old/target/bulk-loader.jar after=target/bulk-loader.jar
#
# For each jar: a fresh database stmtcount_<label> with
#   items (id int primary key, code text not null unique, qty int not null check (qty >= 0));
# `alter database ... set log_statement = 'all'` BEFORE the service starts (a per-database setting
# applies to new connections only, so every pooled connection logs); one warm-up load (10-row insert,
# ids 1..10); then each measured load between `select 'marker-start-…'` / `'marker-end-…'` sent by psql.
# The log lines `LOG:  statement:` and `LOG:  execute …:` of that database between the markers,
# other than psql's own, are the service's statements. They are classed as
#   validation - the pool's/driver's connection checks (empty query, SELECT 1, isValid)
#   catalog    - queries on pg_catalog / information_schema (table metadata)
#   load       - everything else (BEGIN/COMMIT, SET, staging DDL, COPY, merges, ...)
# and listed. Afterwards the setting is reset and the database dropped (STATEMENT_COUNT_KEEP=1 keeps it).
#
# Knobs: PGHOST/PGPORT/PGUSER/PGPASSWORD (localhost/5432/postgres/postgres), STATEMENT_COUNT_PORT
# (18190), STATEMENT_COUNT_LOG (/var/log/postgresql/postgresql-15-main.log, must be readable),
# JAVA_HOME (the Temurin 25 JDK when present).
set -euo pipefail
CALLER_DIR=$PWD
cd "$(dirname "$0")"
export PGHOST="${PGHOST:-localhost}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGPASSWORD="${PGPASSWORD:-postgres}"
PORT="${STATEMENT_COUNT_PORT:-18190}"
LOG="${STATEMENT_COUNT_LOG:-/var/log/postgresql/postgresql-15-main.log}"
JAVA_BIN="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$JAVA_BIN" ] || JAVA_BIN=java
[ -r "$LOG" ] || { echo "cannot read the server log $LOG" >&2; exit 1; }
[ $# -gt 0 ] || set -- "after=$PWD/../target/bulk-loader.jar"
mkdir -p work

rows_json() { # first last code-prefix
  python3 -c "import json,sys; a,b,p=int(sys.argv[1]),int(sys.argv[2]),sys.argv[3]; print(json.dumps([{'id':i,'code':f'{p}{i}','qty':i} for i in range(a,b+1)]))" "$@"
}
load() { # db query json expected-(inserted,updated)
  local report
  report=$(curl -sf -X POST "localhost:$PORT/api/v1/tables/items/rows?$2" -H 'Content-Type: application/json' --data-binary "$3")
  echo "$report" | python3 -c "import json,sys; r=json.load(sys.stdin); c=(r['rowsInserted'],r['rowsUpdated']); assert c == $4, (c, r)" \
    || { echo "unexpected report: $report" >&2; exit 1; }
}
marker() { psql -d "$1" -qAtc "select 'marker-$2'" >/dev/null; }

SERVICE=
cleanup() {
  [ -n "$SERVICE" ] && kill "$SERVICE" 2>/dev/null && wait "$SERVICE" 2>/dev/null || true
  [ -n "${DBNAME:-}" ] && psql -d postgres -qc "alter database $DBNAME reset log_statement" 2>/dev/null || true
}
trap cleanup EXIT

for arg in "$@"; do
  case $arg in *=*) label=${arg%%=*}; jar=${arg#*=} ;; *) label=$(basename "$(dirname "$(dirname "$arg")")"); jar=$arg ;; esac
  label=$(echo "$label" | tr -c 'a-zA-Z0-9_\n' '_')
  case $jar in /*) ;; *) jar="$CALLER_DIR/$jar" ;; esac
  [ -f "$jar" ] || { echo "no jar at $jar" >&2; exit 1; }
  DBNAME="stmtcount_$label"
  psql -d postgres -qc "drop database if exists $DBNAME" -c "create database $DBNAME"
  psql -d "$DBNAME" -qc "create table public.items (id int primary key, code text not null unique, qty int not null check (qty >= 0))"
  psql -d postgres -qc "alter database $DBNAME set log_statement = 'all'"
  offset=$(stat -c %s "$LOG")

  "$JAVA_BIN" -Xmx256m -jar "$jar" --server.port="$PORT" \
    --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$DBNAME" \
    --spring.datasource.username="$PGUSER" --spring.datasource.password="$PGPASSWORD" \
    --logging.level.dev.bulkload=WARN --bulkload.security.enabled=false > "work/statement_count-$label.log" 2>&1 &
  SERVICE=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$PORT/actuator/health/readiness" >/dev/null && break; sleep 1; done
  curl -sf "localhost:$PORT/actuator/health/readiness" >/dev/null || { echo "service ($jar) did not start" >&2; exit 1; }

  load "$DBNAME" "" "$(rows_json 1 10 c)" "(10, 0)"                          # warm-up
  sleep 1
  marker "$DBNAME" "start-upsert"
  load "$DBNAME" "mode=upsert" "$(rows_json 6 15 u)" "(5, 5)"                # ids 6..10 exist, 11..15 new
  marker "$DBNAME" "end-upsert"
  marker "$DBNAME" "start-insert"
  load "$DBNAME" "" "$(rows_json 101 110 c)" "(10, 0)"
  marker "$DBNAME" "end-insert"
  sleep 1

  kill "$SERVICE"; wait "$SERVICE" 2>/dev/null || true; SERVICE=
  psql -d postgres -qc "alter database $DBNAME reset log_statement"
  [ "${STATEMENT_COUNT_KEEP:-0}" = 1 ] || psql -d postgres -qc "drop database $DBNAME"
  tail -c +"$((offset + 1))" "$LOG" > "work/statement_count-$label.pglog"

  echo "## $label: $jar ($(unzip -p "$jar" META-INF/MANIFEST.MF 2>/dev/null | grep -i '^Implementation-Version' | tr -d '\r' || true))"
  python3 - "$DBNAME" "work/statement_count-$label.pglog" <<'EOF'
import re, sys
db, path = sys.argv[1], sys.argv[2]
head = re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[(\d+)\] (\S*)@(\S*) (\w+):  (.*)$')
entries = []  # [pid, db, text]; continuation lines (multi-line SQL) are appended to the previous entry
for line in open(path, encoding="utf-8", errors="replace"):
    m = head.match(line.rstrip("\n"))
    if m:
        pid, _user, database, level, msg = m.groups()
        s = re.match(r'(statement|execute [^:]*): (.*)$', msg, re.S) if level == "LOG" else None
        entries.append([pid, database, s.group(2) if s else None, s.group(1) if s else None])
    elif entries and entries[-1][2] is not None:
        entries[-1][2] += "\n" + line.rstrip("\n")
catalog = re.compile(r'\b(pg_catalog|information_schema|pg_class|pg_attribute|pg_attrdef|pg_constraint|pg_index|pg_type|pg_namespace|pg_proc|pg_get_\w+|format_type|current_schema)\b', re.I)
def cls(sql):
    s = sql.strip().rstrip(";").strip()
    if s == "" or re.fullmatch(r'select 1', s, re.I):
        return "validation"
    return "catalog" if catalog.search(s) else "load"
print()
print("| load | total | validation | catalog | load itself |")
print("|---|---:|---:|---:|---:|")
listings = []
for name in ("upsert", "insert"):
    idx = [i for i, e in enumerate(entries) if e[2] is not None and e[1] == db and f"marker-start-{name}" in e[2] and "select" in e[2].lower()]
    end = [i for i, e in enumerate(entries) if e[2] is not None and e[1] == db and f"marker-end-{name}" in e[2] and "select" in e[2].lower()]
    if not idx or not end:
        print(f"| {name} | markers not found | | | |"); continue
    a, b = idx[-1], end[-1]
    psql_pids = {entries[a][0], entries[b][0]}
    sts = [e for e in entries[a + 1:b] if e[2] is not None and e[1] == db and e[0] not in psql_pids]
    counts = {"validation": 0, "catalog": 0, "load": 0}
    for e in sts:
        counts[cls(e[2])] += 1
    label = "10-row upsert (5 existing keys, 5 new)" if name == "upsert" else "10-row plain insert"
    print(f"| {label} | {len(sts)} | {counts['validation']} | {counts['catalog']} | {counts['load']} |")
    listings.append((name, sts))
for name, sts in listings:
    print(f"\n{name}: the statements, in order (connection pid, class, first 150 characters)")
    for pid, _db, sql, kind in sts:
        one = " ".join(sql.split())
        print(f"  [{pid}] {cls(sql):10} {kind.split()[0]:9} {one[:150]}")
EOF
  echo
done
