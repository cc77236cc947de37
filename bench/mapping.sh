#!/usr/bin/env bash
# The field mapping's cost (issue 17), side by side in one run on the same PostgreSQL and data:
#   CSV users with map of every column and match=loose   against the same rows with the columns' own header
#   NDJSON users with two ignored fields per record       against the same rows without them
#     (unknownFields=ignore; one field a nested object, one a string)
# Each pair runs BENCH_RUNS times in turn (the cases alternating, so both see the same machine); reported are the
# median and the best run, the median of the ratios of the runs taken side by side (a run against the run of the
# other case just before it: the fairest figure when other work on the machine comes and goes), and the service's
# own CPU time per load (from /proc, so other processes on a shared machine do not count). Needs what run.sh needs; uses its own database (bench_mapping) and port.
set -euo pipefail
cd "$(dirname "$0")"
ROWS="${BENCH_ROWS:-1000000}"
RUNS="${BENCH_RUNS:-9}"
HEAP="${BENCH_HEAP:--Xmx256m}"
PORT="${BENCH_PORT:-18180}"
MANAGEMENT_PORT=$((PORT + 1))
JAR="${BENCH_JAR:-../target/bulk-loader.jar}"
DATA=data
mkdir -p "$DATA" work

if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do su postgres -c "pg_isready -q" && break; sleep 1; done
  su postgres -c "psql -qc \"alter user postgres password 'postgres'\"" >/dev/null
  su postgres -c "psql -qtc \"select 1 from pg_database where datname = 'bench_mapping'\"" | grep -q 1 \
    || su postgres -c "psql -qc 'create database bench_mapping'"
  BENCH_DATABASE_URL="postgresql://postgres:postgres@localhost:5432/bench_mapping"
fi
DB="$BENCH_DATABASE_URL"
JDBC_URL="jdbc:postgresql://$(echo "$DB" | sed -E 's#^postgres(ql)?://([^@]*@)?##')"
DB_USER=$(echo "$DB" | sed -E 's#^postgres(ql)?://([^:@]*).*#\2#')
DB_PASS=$(echo "$DB" | sed -E 's#^postgres(ql)?://[^:]*:([^@]*)@.*#\2#')
[ -f "$JAR" ] || { echo "Build the jar first: ./mvnw -DskipTests package" >&2; exit 1; }

JAVA_BIN="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$JAVA_BIN" ] || JAVA_BIN=java
BENCH_API_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
API_KEY_SHA256=$(printf %s "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)
"$JAVA_BIN" $HEAP -XX:+ExitOnOutOfMemoryError -jar "$JAR" --server.port="$PORT" \
  --management.server.port="$MANAGEMENT_PORT" --spring.datasource.url="$JDBC_URL" \
  --spring.datasource.username="$DB_USER" --spring.datasource.password="$DB_PASS" \
  --logging.level.dev.bulkload=WARN --bulkload.security.api-keys[0].name=bench \
  --bulkload.security.api-keys[0].sha256="$API_KEY_SHA256" --bulkload.security.api-keys[0].tables=public.* \
  > work/mapping-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "localhost:$MANAGEMENT_PORT/actuator/health/readiness" >/dev/null && break; sleep 1; done

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
best() { sort -g | head -1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVICE/stat"; }
TICKS=$(getconf CLK_TCK)
now() { date +%s.%N; }
reset_users() {
  psql "$DB" -qc "drop table if exists public.users; create table public.users (id bigserial primary key,
    name text not null, email text not null, created_at timestamptz not null default now())" >/dev/null
}
load() { # query content-type file; prints wall seconds and the service's CPU seconds
  local start end report inserted cpu
  reset_users
  cpu=$(cpu_ticks)
  start=$(now)
  report=$(curl -sf -X POST -H 'Expect:' -H "X-API-Key: $BENCH_API_KEY" -H "Content-Type: $2" \
    "localhost:$PORT/api/v1/tables/users/rows?$1" -T "$3")
  end=$(now)
  inserted=$(echo "$report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rowsInserted"])')
  [ "$inserted" = "$ROWS" ] || { echo "expected $ROWS rows, report: $report" >&2; exit 1; }
  echo "$(echo "$end - $start" | bc -l) $(echo "($(cpu_ticks) - $cpu) / $TICKS" | bc -l)"
}

[ -f "$DATA/users-$ROWS.csv" ] || python3 gen_users.py csv "$ROWS" "$DATA/users-$ROWS.csv"
[ -f "$DATA/users-$ROWS.ndjson" ] || python3 gen_users.py ndjson "$ROWS" "$DATA/users-$ROWS.ndjson"
[ -f "$DATA/users-renamed-$ROWS.csv" ] || python3 gen_mapping.py csv-renamed "$ROWS" "$DATA/users-renamed-$ROWS.csv"
[ -f "$DATA/users-extras-$ROWS.ndjson" ] || python3 gen_mapping.py ndjson-extras "$ROWS" "$DATA/users-extras-$ROWS.ndjson"

MAP="map=Full%20Name%3Aname&map=E-mail%20Address%3Aemail&match=loose"
# warm-up: the JIT compiles the readers' loops before anything is timed
load "" text/csv "$DATA/users-$ROWS.csv" >/dev/null
load "$MAP" text/csv "$DATA/users-renamed-$ROWS.csv" >/dev/null
load "" application/x-ndjson "$DATA/users-$ROWS.ndjson" >/dev/null
load "unknownFields=ignore" application/x-ndjson "$DATA/users-extras-$ROWS.ndjson" >/dev/null

declare -A seconds cpu
run() { # case query content-type file
  local wall used
  read -r wall used < <(load "$2" "$3" "$4")
  seconds[$1]+="$wall "
  cpu[$1]+="$used "
}
for _ in $(seq 1 "$RUNS"); do
  run csv "" text/csv "$DATA/users-$ROWS.csv"
  run csvmap "$MAP" text/csv "$DATA/users-renamed-$ROWS.csv"
  run ndjson "" application/x-ndjson "$DATA/users-$ROWS.ndjson"
  run ndjsonignore "unknownFields=ignore" application/x-ndjson "$DATA/users-extras-$ROWS.ndjson"
done
pick() { echo "$2" | tr ' ' '\n' | grep . | "$1"; }
rate() { echo "$ROWS / $(pick "$1" "${seconds[$2]}")" | bc -l; }
mb() { echo "$(stat -c %s "$1") / 1048576" | bc -l; }
paired() { # case reference: the median over runs of reference seconds / case seconds
  paste <(echo "${seconds[$2]}" | tr ' ' '\n' | grep .) <(echo "${seconds[$1]}" | tr ' ' '\n' | grep .) \
    | awk '{print $1 / $2}' | median
}
row() { # label case reference file
  printf '| %s | %.0f | %.0f | %.3f | %.3f | %.3f | %.2f | %.3f |\n' "$1" "$(rate median "$2")" "$(rate best "$2")" \
    "$(echo "$(rate median "$2") / $(rate median "$3")" | bc -l)" "$(echo "$(rate best "$2") / $(rate best "$3")" | bc -l)" \
    "$(paired "$2" "$3")" \
    "$(pick median "${cpu[$2]}")" "$(echo "$(pick median "${cpu[$3]}") / $(pick median "${cpu[$2]}")" | bc -l)"
}
echo
echo "### field mapping, users, $ROWS rows, $RUNS runs each, alternating"
echo
echo "| case | rows/s (median) | rows/s (best) | ratio, medians | ratio, bests | ratio, side by side | service CPU s (median) | ratio, CPU |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
row "CSV, header name,email ($(printf %.0f "$(mb "$DATA/users-$ROWS.csv")") MB)" csv csv
row "CSV, header Full Name,E-mail Address: map of every column, match=loose" csvmap csv
row "NDJSON ($(printf %.0f "$(mb "$DATA/users-$ROWS.ndjson")") MB)" ndjson ndjson
row "NDJSON + _meta object and trace_id per record, unknownFields=ignore ($(printf %.0f "$(mb "$DATA/users-extras-$ROWS.ndjson")") MB)" ndjsonignore ndjson
echo
echo "ratios: the case's rows/s over the same load without the mapping (CPU: the load's service CPU without over with)"
echo "wall s: csv ${seconds[csv]}| csv+map ${seconds[csvmap]}| ndjson ${seconds[ndjson]}| ndjson+ignored ${seconds[ndjsonignore]}"
echo "cpu s:  csv ${cpu[csv]}| csv+map ${cpu[csvmap]}| ndjson ${cpu[ndjson]}| ndjson+ignored ${cpu[ndjsonignore]}"
