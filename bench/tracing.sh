#!/usr/bin/env bash
# What tracing costs a load: the same service started in turn as each case below, against the same PostgreSQL,
# measuring a 10-row JSON load's latency (latency.py: one client, kept-alive, after a warm-up) and a 1M-row CSV
# load (curl -T, the report's rowsInserted checked), each with the CPU seconds the service's JVM used for it.
#   bench/tracing.sh                      # cases: sampled (1.0), unsampled (0), exported (1.0 to a local OTLP sink)
#   BENCH_BASE_JAR=/path/to/main.jar bench/tracing.sh   # adds "no tracing": a jar built without it, for reference
# Knobs: BENCH_RUNS (3; every case once per run, each run starting one case further, medians reported),
# BENCH_ROWS (1000000; 0 skips the big load),
# BENCH_LATENCY_LOADS (2000), BENCH_LATENCY_WARMUP (300), BENCH_PORT (18380), BENCH_HEAP (-Xmx256m), BENCH_DATABASE_URL (else the machine's
# Debian PostgreSQL, as run.sh), BENCH_JAR (../target/bulk-loader.jar).
set -euo pipefail
cd "$(dirname "$0")"
RUNS="${BENCH_RUNS:-3}"
ROWS="${BENCH_ROWS:-1000000}"
LOADS="${BENCH_LATENCY_LOADS:-2000}"
WARMUP="${BENCH_LATENCY_WARMUP:-300}"
PORT="${BENCH_PORT:-18380}"
MANAGEMENT_PORT=$((PORT + 1))
SINK_PORT=$((PORT + 2))
HEAP="${BENCH_HEAP:--Xmx256m}"
JAR="${BENCH_JAR:-../target/bulk-loader.jar}"
DATA=data
mkdir -p "$DATA" work
[ -f "$JAR" ] || { echo "Build the jar first: ./mvnw -DskipTests package" >&2; exit 1; }

if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do su postgres -c "pg_isready -q" && break; sleep 1; done
  su postgres -c "psql -qc \"alter user postgres password 'postgres'\"" >/dev/null
  su postgres -c "psql -qtc \"select 1 from pg_database where datname = 'bench_tracing'\"" | grep -q 1 \
    || su postgres -c "psql -qc 'create database bench_tracing'"
  BENCH_DATABASE_URL="postgresql://postgres:postgres@localhost:5432/bench_tracing"
fi
DB="$BENCH_DATABASE_URL"
JDBC_URL="jdbc:postgresql://$(echo "$DB" | sed -E 's#^postgres(ql)?://([^@]*@)?##')"
DB_USER=$(echo "$DB" | sed -E 's#^postgres(ql)?://([^:@]*).*#\2#')
DB_PASS=$(echo "$DB" | sed -E 's#^postgres(ql)?://[^:]*:([^@]*)@.*#\2#')
JAVA_BIN="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$JAVA_BIN" ] || JAVA_BIN=java
CSV="$DATA/users-$ROWS.csv"
[ "$ROWS" = 0 ] || [ -f "$CSV" ] || python3 gen_users.py csv "$ROWS" "$CSV"

# an OTLP/HTTP sink on loopback that accepts every export and keeps nothing
python3 -c '
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
' "$SINK_PORT" &
SINK=$!
SERVICE=
trap 'kill $SINK ${SERVICE:-} 2>/dev/null || true' EXIT

declare -A CASE_JAR CASE_ARGS
CASES=(sampled unsampled exported)
CASE_JAR[sampled]=$JAR; CASE_ARGS[sampled]="--management.tracing.sampling.probability=1.0"
CASE_JAR[unsampled]=$JAR; CASE_ARGS[unsampled]="--management.tracing.sampling.probability=0"
CASE_JAR[exported]=$JAR
CASE_ARGS[exported]="--management.tracing.sampling.probability=1.0 --management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:$SINK_PORT/v1/traces"
if [ -n "${BENCH_BASE_JAR:-}" ]; then
  CASES=(none "${CASES[@]}")
  CASE_JAR[none]=$BENCH_BASE_JAR; CASE_ARGS[none]=""
fi

ticks() { python3 -c "import sys; f=open('/proc/$1/stat').read().rsplit(')',1)[1].split(); print(int(f[11])+int(f[12]))"; }
hz=$(getconf CLK_TCK)
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
reset_users() {
  psql "$DB" -qc "drop table if exists public.users; create table public.users (id bigserial primary key,
    name text not null, email text not null, created_at timestamptz not null default now())" >/dev/null
}

declare -A MEAN P50 P99 SMALL_CPU BIG BIG_CPU
for run in $(seq 1 "$RUNS"); do
  # a different case first in each run, so none always follows the same one (a checkpoint, autovacuum)
  for i in $(seq 0 $((${#CASES[@]} - 1))); do
    case=${CASES[$(((i + run - 1) % ${#CASES[@]}))]}
    # shellcheck disable=SC2086
    "$JAVA_BIN" $HEAP -jar "${CASE_JAR[$case]}" --server.port="$PORT" --management.server.port="$MANAGEMENT_PORT" \
      --spring.datasource.url="$JDBC_URL" --spring.datasource.username="$DB_USER" \
      --spring.datasource.password="$DB_PASS" --bulkload.security.enabled=false \
      --logging.level.dev.bulkload=WARN ${CASE_ARGS[$case]} > "work/tracing-$case.log" 2>&1 &
    SERVICE=$!
    for _ in $(seq 1 120); do curl -sf "localhost:$MANAGEMENT_PORT/actuator/health/readiness" >/dev/null && break; sleep 1; done
    reset_users
    # the CPU of the measured loads only, once the JIT has compiled the warm-up's paths
    python3 latency.py "$PORT" users 1 10 "$WARMUP" "${case}w$run" >/dev/null
    before=$(ticks "$SERVICE")
    read -r mean p50 p99 < <(python3 latency.py "$PORT" users "$LOADS" 10 0 "${case}r$run")
    after=$(ticks "$SERVICE")
    MEAN[$case]+="$mean "; P50[$case]+="$p50 "; P99[$case]+="$p99 "
    SMALL_CPU[$case]+="$(echo "($after - $before) * 1000000 / $hz / $LOADS" | bc -l) "
    if [ "$ROWS" = 0 ]; then
      kill "$SERVICE"; wait "$SERVICE" 2>/dev/null || true; SERVICE=
      echo "run $run $case: 10-row mean ${mean} ms" >&2
      continue
    fi
    reset_users
    before=$(ticks "$SERVICE")
    start=$(now)
    report=$(curl -sf -X POST -H 'Expect:' -H 'Content-Type: text/csv' -T "$CSV" "localhost:$PORT/api/v1/tables/users/rows")
    end=$(now)
    after=$(ticks "$SERVICE")
    inserted=$(echo "$report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rowsInserted"])')
    [ "$inserted" = "$ROWS" ] || { echo "expected $ROWS rows, report: $report" >&2; exit 1; }
    BIG[$case]+="$(echo "$end - $start" | bc -l) "
    BIG_CPU[$case]+="$(echo "($after - $before) / $hz" | bc -l) "
    kill "$SERVICE"; wait "$SERVICE" 2>/dev/null || true; SERVICE=
    echo "run $run $case: 10-row mean ${mean} ms, 1M CSV $(echo "$end - $start" | bc -l) s" >&2
  done
done

med() { echo "$1" | tr ' ' '\n' | grep . | median; }
echo "| case | 10-row load: mean / p50 / p99 ms | service CPU per 10-row load, µs | 1M-row CSV load, s | service CPU for it, s |"
echo "|---|---|---|---|---|"
for case in "${CASES[@]}"; do
  printf '| %s | %.2f / %.2f / %.2f | %.0f | %.2f | %.2f |\n' "$case" "$(med "${MEAN[$case]}")" "$(med "${P50[$case]}")" \
    "$(med "${P99[$case]}")" "$(med "${SMALL_CPU[$case]}")" "$(med "${BIG[$case]:-0}")" "$(med "${BIG_CPU[$case]:-0}")"
done
