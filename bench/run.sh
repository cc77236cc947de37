#!/usr/bin/env bash
# Loads the same 1M-row users file with psql \copy and through the service (COPY and batch, CSV,
# NDJSON, JSON) on the same PostgreSQL server in one run, and prints rows/s and the ratio to \copy.
#
# Needs: the packaged jar (./mvnw -DskipTests package), psql, python3, curl, and a PostgreSQL server:
# BENCH_DATABASE_URL (postgresql://user:pass@host:port/db) or the machine's Debian cluster, which
# this script starts with pg_ctlcluster. Results go to stdout and bench/results.md.
set -euo pipefail
cd "$(dirname "$0")"
ROWS="${BENCH_ROWS:-1000000}"
RUNS="${BENCH_RUNS:-3}"
HEAP="${BENCH_HEAP:--Xmx256m}"
PORT="${BENCH_PORT:-18080}"
JAR=../target/bulk-loader.jar
DATA=data
mkdir -p "$DATA" work

if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  if command -v pg_ctlcluster >/dev/null; then
    version=$(ls /etc/postgresql | sort -n | tail -1)
    pg_ctlcluster "$version" main start 2>/dev/null || true
    su postgres -c "psql -qc \"alter user postgres password 'postgres'\"" >/dev/null
    su postgres -c "psql -qtc \"select 1 from pg_database where datname = 'bench'\"" | grep -q 1 \
      || su postgres -c "psql -qc 'create database bench'"
  fi
  BENCH_DATABASE_URL="postgresql://postgres:postgres@localhost:5432/bench"
fi
DB="$BENCH_DATABASE_URL"
JDBC_URL="jdbc:postgresql://$(echo "$DB" | sed -E 's#^postgres(ql)?://([^@]*@)?##')"
DB_USER=$(echo "$DB" | sed -E 's#^postgres(ql)?://([^:@]*).*#\2#')
DB_PASS=$(echo "$DB" | sed -E 's#^postgres(ql)?://[^:]*:([^@]*)@.*#\2#')

[ -f "$JAR" ] || { echo "Build the jar first: ./mvnw -DskipTests package" >&2; exit 1; }
for fmt in csv ndjson json; do
  [ -f "$DATA/users-$ROWS.$fmt" ] || python3 gen_users.py "$fmt" "$ROWS" "$DATA/users-$ROWS.$fmt"
done

reset_table() {
  psql "$DB" -qc "drop table if exists public.users; create table public.users (id bigserial primary key,
    name text not null, email text not null, created_at timestamptz not null default now())" >/dev/null
}

JAVA_BIN="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$JAVA_BIN" ] || JAVA_BIN=java
reset_table
"$JAVA_BIN" $HEAP -jar "$JAR" --server.port="$PORT" --spring.datasource.url="$JDBC_URL" \
  --spring.datasource.username="$DB_USER" --spring.datasource.password="$DB_PASS" > work/service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$PORT/actuator/health/readiness" >/dev/null && break; sleep 1; done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

psql_copy() {
  reset_table
  local start end
  start=$(date +%s.%N)
  psql "$DB" -qc "\\copy public.users (name, email) from '$DATA/users-$ROWS.csv' with (format csv, header true)" >/dev/null
  end=$(date +%s.%N)
  echo "$ROWS / ($end - $start)" | bc -l
}

http_load() { # content-type query file
  reset_table
  local start end report
  start=$(date +%s.%N)
  report=$(curl -sf -X POST "localhost:$PORT/api/v1/tables/users/rows?$2" -H "Content-Type: $1" \
    --data-binary "@$3")
  end=$(date +%s.%N)
  inserted=$(echo "$report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rowsInserted"])')
  [ "$inserted" = "$ROWS" ] || { echo "expected $ROWS rows, report: $report" >&2; exit 1; }
  echo "$ROWS / ($end - $start)" | bc -l
}

declare -A RESULTS
cases=("psql \\copy (csv)" "HTTP text/csv, copy" "HTTP text/csv, batch" "HTTP NDJSON, copy" "HTTP JSON array, copy")
for _ in $(seq 1 "$RUNS"); do
  RESULTS["${cases[0]}"]+="$(psql_copy) "
  RESULTS["${cases[1]}"]+="$(http_load text/csv method=copy "$DATA/users-$ROWS.csv") "
  RESULTS["${cases[2]}"]+="$(http_load text/csv method=batch "$DATA/users-$ROWS.csv") "
  RESULTS["${cases[3]}"]+="$(http_load application/x-ndjson method=copy "$DATA/users-$ROWS.ndjson") "
  RESULTS["${cases[4]}"]+="$(http_load application/json method=copy "$DATA/users-$ROWS.json") "
done
# Write modes (issue 3): a table with a primary key, a second unique key, NOT NULL, CHECK and a foreign key.
reset_items() {
  psql "$DB" -qc "drop table if exists public.items; drop table if exists public.parents;
    create table public.parents (id int primary key); insert into public.parents select generate_series(1, 100);
    create table public.items (id bigint primary key, code text not null unique, qty int not null check (qty >= 0),
      parent_id int references public.parents (id));
    insert into public.items select -g, 'old_' || g, 1, 1 from generate_series(1, 10000) g" >/dev/null
}
for kind in clean bad upsert; do
  [ -f "$DATA/items-$kind-$ROWS.csv" ] || python3 gen_items.py "$kind" "$ROWS" "$DATA/items-$kind-$ROWS.csv"
done
items_load() { # query file expected-report-check
  local start end report
  start=$(date +%s.%N)
  report=$(curl -sf -X POST "localhost:$PORT/api/v1/tables/items/rows?$1" -H "Content-Type: text/csv" --data-binary "@$2")
  end=$(date +%s.%N)
  echo "$report" | python3 -c "import json,sys; r=json.load(sys.stdin); c=(r['rowsInserted'],r['rowsUpdated'],r['rowsSkipped'],r['rowsRejected']); assert c == $3, c" \
    || { echo "unexpected report: $report" >&2; exit 1; }
  echo "$ROWS / ($end - $start)" | bc -l
}
half=$((ROWS / 2))
mode_cases=("items: clean insert, copy" "items: 1% bad rows, onError=skip" "items: upsert, half the keys exist")
declare -A MODES
for _ in $(seq 1 "$RUNS"); do
  reset_items
  MODES["${mode_cases[0]}"]+="$(items_load "" "$DATA/items-clean-$ROWS.csv" "($ROWS, 0, 0, 0)") "
  reset_items
  MODES["${mode_cases[1]}"]+="$(items_load "onError=skip" "$DATA/items-bad-$ROWS.csv" "($((ROWS - ROWS / 100)), 0, 0, $((ROWS / 100)))") "
  reset_items
  items_load "" "$DATA/items-clean-$ROWS.csv" "($ROWS, 0, 0, 0)" >/dev/null
  MODES["${mode_cases[2]}"]+="$(items_load "mode=upsert" "$DATA/items-upsert-$ROWS.csv" "($half, $((ROWS - half)), 0, 0)") "
done
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$SERVICE/status")
clean=$(echo "${MODES[${mode_cases[0]}]}" | tr ' ' '\n' | grep . | median)
reference=$(echo "${RESULTS[${cases[0]}]}" | tr ' ' '\n' | grep . | median)

{
  echo "## users, $ROWS rows — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(psql "$DB" -tAc 'select version()' | cut -d, -f1);"
  echo "service: $("$JAVA_BIN" -version 2>&1 | head -1), $HEAP; median of $RUNS runs."
  echo
  echo "| case | rows/s | ratio to psql \\copy |"
  echo "|---|---:|---:|"
  for c in "${cases[@]}"; do
    m=$(echo "${RESULTS[$c]}" | tr ' ' '\n' | grep . | median)
    printf "| %s | %.0f | %.2f |\n" "$c" "$m" "$(echo "$m / $reference" | bc -l)"
  done
  echo
  echo "| write mode case | rows/s | ratio to the clean insert |"
  echo "|---|---:|---:|"
  for c in "${mode_cases[@]}"; do
    m=$(echo "${MODES[$c]}" | tr ' ' '\n' | grep . | median)
    printf "| %s | %.0f | %.2f |\n" "$c" "$m" "$(echo "$m / $clean" | bc -l)"
  done
  echo
  echo "Service peak RSS: $((rss_kb / 1024)) MiB."
} | tee results.md
