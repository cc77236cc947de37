#!/usr/bin/env bash
# Warm from the first request: the first BENCH_LATENCY_LOADS (2000) 10-row JSON loads of a just-started service,
# started as the image starts it (the extracted layers in one directory, java -XX:AOTCache=application.aot -jar
# application.jar, the image's JAVA_TOOL_OPTIONS, secured with an API key), with no cache, with the cache the
# image trained before (context start only) and with the cache trained by real loads (src/main/docker/
# train-aot-cache.sh), against the FastAPI + asyncpg peer (bench/peers, 2 uvicorn workers) also just started.
# Each case BENCH_RUNS (3) times, in turn; every run starts a fresh process and a fresh users table; the median run
# by mean latency is reported, with the server's CPU per load from cpu_used.py (CPU time: less sensitive than
# wall time to other work on the machine).
#
#   ./mvnw -DskipTests package && bench/aot.sh     # writes bench/results-aot.md
#
# Needs the machine's PostgreSQL (started with pg_ctlcluster) or BENCH_DATABASE_URL, JDK 25 (JAVA_HOME), python3.
set -euo pipefail
cd "$(dirname "$0")"
RUNS="${BENCH_RUNS:-3}"
LOADS="${BENCH_LATENCY_LOADS:-2000}"
PORT="${BENCH_PORT:-18580}"
JAR="${BENCH_JAR:-../target/bulk-loader.jar}"
RESULTS="${BENCH_RESULTS:-results-aot.md}"
CASES="${BENCH_CASES:-none context trained peer}"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
PYTHON=/usr/bin/python3
mkdir -p work
if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do su postgres -c "pg_isready -q" && break; sleep 1; done
  su postgres -c "psql -qc \"alter user postgres password 'postgres'\"" >/dev/null
  su postgres -c "psql -qtc \"select 1 from pg_database where datname = 'bench_aot'\"" | grep -q 1 \
    || su postgres -c "psql -qc 'create database bench_aot'"
  BENCH_DATABASE_URL="postgresql://postgres:postgres@localhost:5432/bench_aot"
fi
DB="$BENCH_DATABASE_URL"
JDBC_URL="jdbc:postgresql://$(echo "$DB" | sed -E 's#^postgres(ql)?://([^@]*@)?##')"
DB_USER=$(echo "$DB" | sed -E 's#^postgres(ql)?://([^:@]*).*#\2#')
DB_PASS=$(echo "$DB" | sed -E 's#^postgres(ql)?://[^:]*:([^@]*)@.*#\2#')
if ! $PYTHON -c 'import fastapi, uvicorn, asyncpg' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-fastapi python3-uvicorn \
    python3-asyncpg >/dev/null
fi

# the image's layout: the layers extracted and copied into one directory, dependencies first
# (BENCH_KEEP_CACHES=1: the layout and both caches of the previous run again, for the same jar)
APP=work/aot/app
export JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
if [ "${BENCH_KEEP_CACHES:-0}" != 1 ] || [ ! -s "$APP/trained.aot" ]; then
rm -rf work/aot && mkdir -p "$APP"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --layers --destination work/aot/layers \
  --application-filename application.jar >/dev/null
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
  [ -d "work/aot/layers/$layer" ] && cp -a "work/aot/layers/$layer/." "$APP/"
done
# the cache the Dockerfile trained before: the context started without a database, exit after refresh
(cd "$APP" && "$JAVA" -XX:AOTCacheOutput=context.aot -Dspring.context.exit=onRefresh \
  -Dspring.flyway.enabled=false -Dspring.datasource.url=jdbc:postgresql://localhost:1/training \
  -Dspring.datasource.hikari.initialization-fail-timeout=-1 "-Dbulkload.security.api-keys[0].name=training" \
  "-Dbulkload.security.api-keys[0].sha256=0000000000000000000000000000000000000000000000000000000000000000" \
  -jar application.jar > ../context-training.log 2>&1)
# the cache trained by real loads, as the image's build trains it now (here against the bench database)
(cd "$APP" && JAVA="$JAVA" TRAINING_DATABASE_URL="$JDBC_URL" TRAINING_DATABASE_USERNAME="$DB_USER" \
  TRAINING_DATABASE_PASSWORD="$DB_PASS" sh ../../../../src/main/docker/train-aot-cache.sh trained.aot \
  > ../loads-training.log 2>&1)
fi
ls -la "$APP"/*.aot

BENCH_API_KEY=$($PYTHON -c 'import secrets; print(secrets.token_hex(32))')
export BENCH_API_KEY
API_KEY_SHA256=$(printf %s "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)
reset_users() {
  psql "$DB" -qc "drop table if exists public.users; create table public.users (id bigserial primary key,
    name text not null, email text not null, created_at timestamptz not null default now())" >/dev/null
}
start() { # case
  case "$1" in
    peer)
      PEER_DATABASE_URL="$DB" $PYTHON -m uvicorn --app-dir peers fastapi_loader:app --workers 2 \
        --port "$PORT" --log-level warning --no-access-log > work/aot-peer.log 2>&1 &
      SERVER=$!
      for _ in $(seq 1 120); do curl -s -o /dev/null "localhost:$PORT/docs" && break; sleep 0.5; done ;;
    *)
      local cache=()
      [ "$1" = context ] && cache=(-XX:AOTCache=context.aot)
      [ "$1" = trained ] && cache=(-XX:AOTCache=trained.aot)
      (cd "$APP" && exec "$JAVA" "${cache[@]}" -jar application.jar --server.port="$PORT" \
        --management.server.port=$((PORT + 1)) --spring.datasource.url="$JDBC_URL" \
        --spring.datasource.username="$DB_USER" --spring.datasource.password="$DB_PASS" \
        --bulkload.security.api-keys[0].name=bench --bulkload.security.api-keys[0].sha256="$API_KEY_SHA256" \
        --bulkload.security.api-keys[0].tables=public.* > ../aot-service.log 2>&1) &
      SERVER=$!
      for _ in $(seq 1 240); do
        curl -sf "localhost:$((PORT + 1))/actuator/health/readiness" >/dev/null && break; sleep 0.5
      done ;;
  esac
}
stop() {
  pkill -TERM -P "$SERVER" 2>/dev/null || true
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}
trap stop EXIT

declare -a runs
for run in $(seq 1 "$RUNS"); do
  for who in $CASES; do
    reset_users
    start "$who"
    pids=$SERVER
    [ "$who" != peer ] && pids="$SERVER,$(pgrep -P "$SERVER" | paste -sd, - || true)"
    begin=$(date +%s.%N)
    $PYTHON cpu_used.py work/aot-cpu.txt "$pids" -- $PYTHON latency.py "$PORT" users "$LOADS" 10 0 "$who$run" \
      > work/aot-latency.txt
    read -r mean p50 p99 < work/aot-latency.txt
    wall=$(echo "$(date +%s.%N) - $begin" | bc -l)
    read -r server postgres client < work/aot-cpu.txt
    # CPU per load in ms: the server's cores over the run times its wall time, over the loads
    cpu=$(echo "$server * $wall * 1000 / $LOADS" | bc -l | xargs printf '%.2f')
    pg=$(echo "$postgres * $wall * 1000 / $LOADS" | bc -l | xargs printf '%.2f')
    echo "run $run $who: mean $mean p50 $p50 p99 $p99 ms; server CPU $cpu ms/load, PostgreSQL $pg ms/load"
    runs+=("$who $mean $p50 $p99 $cpu $pg")
    stop
  done
done

median_run() { # who
  printf '%s\n' "${runs[@]}" | awk -v w="$1" '$1 == w' | sort -g -k2 | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'
}
peer_mean=$(median_run peer | cut -d' ' -f2)
{
  echo "### the first $LOADS 10-row JSON loads of a just-started server ($(date -u +%F), median of $RUNS runs by mean)"
  echo
  echo "| case | mean ms | p50 ms | p99 ms | × peer (mean) | server CPU ms per load | PostgreSQL CPU ms per load |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for who in $CASES; do
    read -r _ mean p50 p99 cpu pg < <(median_run "$who")
    label=$who
    case $who in
      none) label="bulk-loader, no AOT cache" ;;
      context) label="bulk-loader, AOT cache of a context start (the image before)" ;;
      trained) label="bulk-loader, AOT cache trained with loads (the image now)" ;;
      peer) label="FastAPI + asyncpg (2 uvicorn workers)" ;;
    esac
    ratio=$(echo "$mean / $peer_mean" | bc -l | xargs printf '%.2f')
    echo "| $label | $mean | $p50 | $p99 | $ratio | $cpu | $pg |"
  done
  echo
  echo "Every run:"
  echo
  printf '    %s\n' "${runs[@]}"
} | tee "$RESULTS"
