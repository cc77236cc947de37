#!/usr/bin/env bash
# COPY ... FREEZE for a table the load creates (issue 21), side by side in one run on the same PostgreSQL and data:
#   frozen: 1M events CSV into a new table, create=true (atomic, by COPY: every chunk written FREEZE)
#   plain:  the same file into a pre-created identical table (the create's own CREATE TABLE, from a dry run): plain COPY
# each followed by a timed VACUUM (ANALYZE) of the table. The cases alternate BENCH_RUNS times (the machine may be
# busy); reported are the medians of the load's and the VACUUM's wall time, the cores PostgreSQL used meanwhile
# (cpu_used.py: every postgres process) and so its CPU seconds, and the table's all-frozen pages before the VACUUM
# (pg_visibility). Needs what run.sh needs; uses its own database (bench_freeze) and port.
set -euo pipefail
cd "$(dirname "$0")"
ROWS="${BENCH_ROWS:-1000000}"
RUNS="${BENCH_RUNS:-3}"
HEAP="${BENCH_HEAP:--Xmx256m}"
PORT="${BENCH_PORT:-18280}"
MANAGEMENT_PORT=$((PORT + 1))
JAR="${BENCH_JAR:-../target/bulk-loader.jar}"
DATA=data
TABLE=events_new
mkdir -p "$DATA" work

if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do su postgres -c "pg_isready -q" && break; sleep 1; done
  su postgres -c "psql -qc \"alter user postgres password 'postgres'\"" >/dev/null
  su postgres -c "psql -qtc \"select 1 from pg_database where datname = 'bench_freeze'\"" | grep -q 1 \
    || su postgres -c "psql -qc 'create database bench_freeze'"
  BENCH_DATABASE_URL="postgresql://postgres:postgres@localhost:5432/bench_freeze"
fi
DB="$BENCH_DATABASE_URL"
JDBC_URL="jdbc:postgresql://$(echo "$DB" | sed -E 's#^postgres(ql)?://([^@]*@)?##')"
DB_USER=$(echo "$DB" | sed -E 's#^postgres(ql)?://([^:@]*).*#\2#')
DB_PASS=$(echo "$DB" | sed -E 's#^postgres(ql)?://[^:]*:([^@]*)@.*#\2#')
[ -f "$JAR" ] || { echo "Build the jar first: ./mvnw -DskipTests package" >&2; exit 1; }
psql "$DB" -qc "create extension if not exists pg_visibility" >/dev/null

JAVA_BIN="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$JAVA_BIN" ] || JAVA_BIN=java
BENCH_API_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
API_KEY_SHA256=$(printf %s "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)
"$JAVA_BIN" $HEAP -XX:+ExitOnOutOfMemoryError -jar "$JAR" --server.port="$PORT" \
  --management.server.port="$MANAGEMENT_PORT" --spring.datasource.url="$JDBC_URL" \
  --spring.datasource.username="$DB_USER" --spring.datasource.password="$DB_PASS" \
  --logging.level.dev.bulkload=WARN --bulkload.security.api-keys[0].name=bench \
  --bulkload.security.api-keys[0].sha256="$API_KEY_SHA256" --bulkload.security.api-keys[0].tables=public.* \
  --bulkload.security.api-keys[0].create-tables=public.* \
  > work/freeze-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$MANAGEMENT_PORT/actuator/health/readiness" >/dev/null && break; sleep 1; done

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
FILE="$DATA/events-$ROWS.csv"
[ -f "$FILE" ] || python3 gen_events.py csv "$ROWS" "$FILE"

post() { # query; prints the report
  curl -sf -X POST -H 'Expect:' -H "X-API-Key: $BENCH_API_KEY" -H 'Content-Type: text/csv' \
    "localhost:$PORT/api/v1/tables/$TABLE/rows?$1" -T "$FILE"
}
# the create's own CREATE TABLE, from a dry run: the pre-created table is the very table create=true makes
psql "$DB" -qc "drop table if exists public.$TABLE" >/dev/null
STATEMENT=$(post "create=true&dryRun=true" | python3 -c 'import json,sys; print(json.load(sys.stdin)["table"]["statement"])')
echo "table: $STATEMENT"

run() { # frozen|plain N; prints: load_s load_pg_cores vacuum_s vacuum_pg_cores frozen_pages pages vacuum's own
  local query start end report inserted load_cores vacuum_cores load_s vacuum_s frozen TABLE
  # a table of its own per run: a name dropped and made again at once would meet the service's cached definition
  TABLE="events_${1}_$2"
  psql "$DB" -qc "drop table if exists public.$TABLE" >/dev/null
  query="create=true"
  if [ "$1" = plain ]; then
    psql "$DB" -qc "${STATEMENT/\"events_new\"/\"$TABLE\"}" >/dev/null
    query=""
  fi
  psql "$DB" -qc "checkpoint" >/dev/null
  start=$(now)
  python3 cpu_used.py work/freeze-cpu.txt "$SERVICE" -- curl -s -o work/freeze-report.json -X POST -H 'Expect:' \
    -H "X-API-Key: $BENCH_API_KEY" -H 'Content-Type: text/csv' "localhost:$PORT/api/v1/tables/$TABLE/rows?$query" \
    -T "$FILE"
  end=$(now)
  load_s=$(echo "$end - $start" | bc -l)
  load_cores=$(cut -d' ' -f2 work/freeze-cpu.txt)
  inserted=$(python3 -c 'import json; print(json.load(open("work/freeze-report.json")).get("rowsInserted"))')
  [ "$inserted" = "$ROWS" ] || { echo "expected $ROWS rows: $(cat work/freeze-report.json)" >&2; exit 1; }
  # as a big table's pages are by the time its first VACUUM comes: written out, so what it changes is written again
  psql "$DB" -qc "checkpoint" >/dev/null
  frozen=$(psql "$DB" -qtAc "select all_frozen || ' ' || (pg_relation_size('public.$TABLE') / 8192) from pg_visibility_map_summary('public.$TABLE')")
  start=$(now)
  python3 cpu_used.py work/freeze-cpu.txt "" -- psql "$DB" -qc "vacuum (analyze, verbose) public.$TABLE" \
    2> work/freeze-vacuum.txt
  end=$(now)
  vacuum_s=$(echo "$end - $start" | bc -l)
  vacuum_cores=$(cut -d' ' -f2 work/freeze-cpu.txt)
  # the VACUUM part's own figures for the table (not its TOAST table), from VERBOSE: pages scanned, pages dirtied,
  # WAL bytes, and the backend's CPU seconds (user + system), which other work on the machine does not blur
  vacuum_own=$(python3 - work/freeze-vacuum.txt <<'PY'
import re, sys
text = open(sys.argv[1]).read()
block = text.split('finished vacuuming "', 1)[1].split("INFO:", 1)[0]
scanned = re.search(r"(\d+) scanned", block).group(1)
dirtied = re.search(r"(\d+) dirtied", block).group(1)
wal = re.search(r"full page images, (\d+) bytes", block).group(1)
cpu = re.search(r"user: ([\d.]+) s, system: ([\d.]+) s", block)
print(scanned, dirtied, wal, f"{float(cpu.group(1)) + float(cpu.group(2)):.2f}")
PY
)
  echo "$load_s $load_cores $vacuum_s $vacuum_cores $frozen $vacuum_own"
  psql "$DB" -qc "drop table public.$TABLE" >/dev/null
}

# warm-up: the JIT compiles the reader's loops before anything is timed
run frozen 0 > /dev/null
: > work/freeze-frozen.txt
: > work/freeze-plain.txt
for i in $(seq 1 "$RUNS"); do
  run frozen "$i" | tee -a work/freeze-frozen.txt | sed 's/^/frozen: /'
  run plain "$i" | tee -a work/freeze-plain.txt | sed 's/^/plain:  /'
done

col() { awk -v c="$2" '{print $c}' "$1" | median; }
cpu_s() { awk -v a="$2" -v b="$3" '{printf "%.3f\n", $a * $b}' "$1" | median; }
echo
echo "| $ROWS events CSV (medians of $RUNS) | load s | PostgreSQL cores / CPU s in the load | all-frozen pages after the load | VACUUM (ANALYZE) s | PostgreSQL CPU s in it | its VACUUM part: pages scanned / dirtied, WAL MB, backend CPU s |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for c in frozen plain; do
  f=work/freeze-$c.txt
  label=$([ $c = frozen ] && echo "create=true (COPY FREEZE)" || echo "pre-created table (plain COPY)")
  printf "| %s | %.2f | %.2f / %.1f | %s of %s | %.2f | %.2f | %s / %s, %.1f, %.2f |\n" "$label" "$(col $f 1)" \
    "$(col $f 2)" "$(cpu_s $f 1 2)" "$(col $f 5)" "$(col $f 6)" "$(col $f 3)" "$(cpu_s $f 3 4)" "$(col $f 7)" \
    "$(col $f 8)" "$(echo "$(col $f 9) / 1048576" | bc -l)" "$(col $f 10)"
done
