#!/usr/bin/env bash
# parallel=N against psql \copy: 1M users and 1M events as CSV, atomic=false with one writer connection and with
# two, each load under cpu_used.py (service, PostgreSQL and client CPU). Prints one table per data set and writes
# them to bench/results-parallel.md. Set up as run.sh (same service start, API key, tables and data generators).
#
# Needs: the packaged jar (./mvnw -DskipTests package), psql, python3, curl, bc, and a PostgreSQL server:
# BENCH_DATABASE_URL (postgresql://user:pass@host:port/db) or the machine's Debian cluster.
#
# psql's own backend ends with psql, so cpu_used.py cannot count it: the PostgreSQL CPU per row is given for the
# service's loads only (its pooled connections outlive each load); psql's row has its wall time and client CPU.
set -euo pipefail
cd "$(dirname "$0")"
ROWS="${BENCH_ROWS:-1000000}"
RUNS="${BENCH_RUNS:-3}"
HEAP="${BENCH_HEAP:--Xmx256m}"
PORT="${BENCH_PORT:-18080}"
MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-$((PORT + 1))}"
PARALLEL="${BENCH_PARALLEL:-1 2}"
JAR="${BENCH_JAR:-../target/bulk-loader.jar}"
DATA=data
mkdir -p "$DATA" work

if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do su postgres -c "pg_isready -q" && break; sleep 1; done
  su postgres -c "psql -qc \"alter user postgres password 'postgres'\"" >/dev/null
  su postgres -c "psql -qtc \"select 1 from pg_database where datname = 'bench'\"" | grep -q 1 \
    || su postgres -c "psql -qc 'create database bench'"
  BENCH_DATABASE_URL="postgresql://postgres:postgres@localhost:5432/bench"
fi
DB="$BENCH_DATABASE_URL"
# PostgreSQL's CPU: the server under test only, when it runs here (not other servers on a shared machine)
if [ -z "${CPU_USED_POSTMASTER_PID:-}" ]; then
  data_directory=$(psql "$DB" -Atc 'show data_directory' 2>/dev/null || true)
  if [ -n "$data_directory" ] && [ -r "$data_directory/postmaster.pid" ]; then
    CPU_USED_POSTMASTER_PID=$(head -1 "$data_directory/postmaster.pid")
    export CPU_USED_POSTMASTER_PID
  fi
fi
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
  --bulkload.load.max-loads-per-caller=1000 \
  > work/service-parallel.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$MANAGEMENT_PORT/actuator/health/readiness" >/dev/null && break; sleep 1; done

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
OUT=work/results-parallel.tmp
: > "$OUT"
emit() { echo "$*" | tee -a "$OUT"; }

reset_users() {
  psql "$DB" -qc "drop table if exists public.users; create table public.users (id bigserial primary key,
    name text not null, email text not null, created_at timestamptz not null default now())" >/dev/null
}
reset_events() {
  psql "$DB" -qc "drop table if exists public.events; create table public.events (event_id bigint primary key,
    user_id bigint not null, kind text not null, amount numeric(12,2), created_at timestamptz not null,
    active boolean, country char(2), payload text)" >/dev/null
  psql "$DB" -qc "checkpoint" >/dev/null
}

# one load under cpu_used.py; prints "seconds service-cores postgres-cores client-cores"
measured() { # pid-or-empty command...
  local pids=$1 start end
  shift
  start=$(date +%s.%N)
  python3 cpu_used.py work/cpu-parallel.txt "$pids" -- "$@" > work/load-output.txt
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc -l) $(cat work/cpu-parallel.txt)"
}

dataset() { # table columns generator
  local set=$1 columns=$2 gen=$3 file="$DATA/$1-$ROWS.csv"
  [ -f "$file" ] || python3 "$gen" csv "$ROWS" "$file"
  declare -A runs
  for _ in $(seq 1 "$RUNS"); do
    "reset_$set"
    runs[psql]+="$(measured "" psql "$DB" -qc "\\copy public.$set ($columns) from '$file' with (format csv, header true)")"$'\n'
    for n in $PARALLEL; do
      "reset_$set"
      runs[$n]+="$(measured "$SERVICE" curl -sf -X POST -H 'Expect:' -H "X-API-Key: $BENCH_API_KEY" \
        -H 'Content-Type: text/csv' -T "$file" \
        "localhost:$PORT/api/v1/tables/$set/rows?atomic=false&parallel=$n")"$'\n'
      inserted=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rowsInserted"])' work/load-output.txt)
      [ "$inserted" = "$ROWS" ] || { echo "expected $ROWS rows: $(cat work/load-output.txt)" >&2; exit 1; }
    done
  done
  local reference
  reference=$(echo "${runs[psql]}" | grep . | awk '{print $1}' | median)
  emit ""
  emit "### $set, $ROWS rows as CSV, $RUNS runs (medians)"
  emit ""
  emit "| case | seconds | rows/s | vs psql \\copy | service cores | PostgreSQL cores | client cores | service µs/row | PostgreSQL µs/row |"
  emit "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for name in psql $PARALLEL; do
    local lines s service pg client label
    lines=$(echo "${runs[$name]}" | grep .)
    s=$(echo "$lines" | awk '{print $1}' | median)
    service=$(echo "$lines" | awk '{print $2}' | median)
    pg=$(echo "$lines" | awk '{print $3}' | median)
    client=$(echo "$lines" | awk '{print $4}' | median)
    if [ "$name" = psql ]; then
      label="psql \\copy"
      emit "| $label | $(printf %.2f "$s") | $(printf %.0f "$(echo "$ROWS / $s" | bc -l)") | 1.00 | - | (not counted) | $client | - | - |"
    else
      label="HTTP text/csv, atomic=false, parallel=$name"
      emit "| $label | $(printf %.2f "$s") | $(printf %.0f "$(echo "$ROWS / $s" | bc -l)") | $(printf %.2f "$(echo "$reference / $s" | bc -l)") | $service | $pg | $client | $(printf %.2f "$(echo "$service * $s * 1000000 / $ROWS" | bc -l)") | $(printf %.2f "$(echo "$pg * $s * 1000000 / $ROWS" | bc -l)") |"
    fi
  done
}

emit "## parallel=N vs psql \\copy ($(date -u +%Y-%m-%d), $(nproc) cores, PostgreSQL $(psql "$DB" -Atc 'show server_version'))"
dataset users "name, email" gen_users.py
dataset events "event_id, user_id, kind, amount, created_at, active, country, payload" gen_events.py
cp "$OUT" results-parallel.md
