#!/usr/bin/env bash
# Loads through a connection pooler: the same loads, side by side in one run, into the same PostgreSQL through
#   direct       - the service connected to PostgreSQL itself (bulkload.database.pooling=session)
#   session      - through PgBouncer, pool_mode=session (bulkload.database.pooling=session)
#   transaction  - through PgBouncer, pool_mode=transaction (bulkload.database.pooling=transaction:
#                  pgJDBC prepares nothing on the server)
# Three instances of the packaged jar run at once, one per way in; each case runs on each in turn, BENCH_RUNS
# times, and the median is reported. Prints a table and writes it to bench/results-poolers.md.
#
# Needs: the packaged jar (./mvnw -DskipTests package), Debian's pgbouncer, psql, python3, curl, and the
# machine's Debian PostgreSQL cluster (started here with pg_ctlcluster). Run as root (PgBouncer runs as postgres).
set -euo pipefail
cd "$(dirname "$0")"
ROWS="${BENCH_ROWS:-1000000}"
RUNS="${BENCH_RUNS:-3}"
SMALL="${BENCH_SMALL_LOADS:-1000}"
SECTIONS="${BENCH_SECTIONS:-bulk small}"
HEAP="${BENCH_HEAP:--Xmx256m}"
JAR="${BENCH_JAR:-../target/bulk-loader.jar}"
PGBOUNCER="${BENCH_PGBOUNCER:-/usr/sbin/pgbouncer}"
DATA=data
WORK=work/poolers
mkdir -p "$DATA" "$WORK"
[ -f "$JAR" ] || { echo "Build the jar first: ./mvnw -DskipTests package" >&2; exit 1; }
[ -x "$PGBOUNCER" ] || { echo "Install PgBouncer first: apt-get install pgbouncer" >&2; exit 1; }

version=$(ls /etc/postgresql | sort -n | tail -1)
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do su postgres -c "pg_isready -q" && break; sleep 1; done
su postgres -c "psql -qc \"alter user postgres password 'postgres'\"" >/dev/null
su postgres -c "psql -qtc \"select 1 from pg_database where datname = 'bench_pool'\"" | grep -q 1 \
  || su postgres -c "psql -qc 'create database bench_pool'"
PG_PORT=$(su postgres -c "psql -qtAc 'show port'")
DB="postgresql://postgres:postgres@localhost:$PG_PORT/bench_pool"

JAVA_BIN="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$JAVA_BIN" ] || JAVA_BIN=java
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# --- PgBouncer, one per pooling mode --------------------------------------------------------------
start_pgbouncer() { # mode port
  local dir="$WORK/pgbouncer-$1"
  mkdir -p "$dir"
  chmod 777 "$dir"
  echo '"postgres" "postgres"' > "$dir/userlist.txt"
  cat > "$dir/pgbouncer.ini" <<EOF
[databases]
bench_pool = host=127.0.0.1 port=$PG_PORT dbname=bench_pool
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $2
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $PWD/$dir/userlist.txt
pool_mode = $1
max_client_conn = 200
default_pool_size = 20
ignore_startup_parameters = extra_float_digits
logfile = $PWD/$dir/pgbouncer.log
pidfile = $PWD/$dir/pgbouncer.pid
EOF
  chmod 644 "$dir"/*.txt "$dir"/*.ini
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=postgres --regid=postgres --clear-groups "$PGBOUNCER" -q "$PWD/$dir/pgbouncer.ini" &
  else
    "$PGBOUNCER" -q "$PWD/$dir/pgbouncer.ini" &
  fi
  PIDS+=($!)
}
# ports the kernel hands out free now: other benches on the machine keep theirs
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SESSION_POOL_PORT=$(free_port)
TRANSACTION_POOL_PORT=$(free_port)
start_pgbouncer session "$SESSION_POOL_PORT"
start_pgbouncer transaction "$TRANSACTION_POOL_PORT"

# --- three services ---------------------------------------------------------------------------------
WAYS=(direct session transaction)
declare -A PORT_OF MANAGEMENT_OF URL_OF POOLING_OF
URL_OF[direct]="jdbc:postgresql://localhost:$PG_PORT/bench_pool"; POOLING_OF[direct]=session
URL_OF[session]="jdbc:postgresql://127.0.0.1:$SESSION_POOL_PORT/bench_pool"; POOLING_OF[session]=session
URL_OF[transaction]="jdbc:postgresql://127.0.0.1:$TRANSACTION_POOL_PORT/bench_pool"; POOLING_OF[transaction]=transaction
for way in "${WAYS[@]}"; do
  PORT_OF[$way]=$(free_port)
  MANAGEMENT_OF[$way]=$(free_port)
  "$JAVA_BIN" $HEAP -XX:+ExitOnOutOfMemoryError -jar "$JAR" --server.port="${PORT_OF[$way]}" \
    --management.server.port="${MANAGEMENT_OF[$way]}" --spring.datasource.url="${URL_OF[$way]}" \
    --spring.datasource.username=postgres --spring.datasource.password=postgres \
    --bulkload.database.pooling="${POOLING_OF[$way]}" --bulkload.security.enabled=false \
    --logging.level.dev.bulkload=WARN > "$WORK/service-$way.log" 2>&1 &
  PIDS+=($!)
done
for way in "${WAYS[@]}"; do
  for _ in $(seq 1 120); do
    curl -sf "localhost:${MANAGEMENT_OF[$way]}/actuator/health/readiness" >/dev/null && break
    sleep 1
  done
  curl -sf "localhost:${MANAGEMENT_OF[$way]}/actuator/health/readiness" >/dev/null \
    || { echo "The $way service did not start:"; tail -20 "$WORK/service-$way.log"; exit 1; }
done

# --- data -------------------------------------------------------------------------------------------
[ -f "$DATA/users-$ROWS.csv" ] || python3 gen_users.py csv "$ROWS" "$DATA/users-$ROWS.csv"
[ -f "$DATA/events-$ROWS.csv" ] || python3 gen_events.py csv "$ROWS" "$DATA/events-$ROWS.csv"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

reset_users() {
  psql "$DB" -qc "set client_min_messages = warning; drop table if exists public.users; create table public.users (id bigserial primary key,
    name text not null, email text not null, created_at timestamptz not null default now())" >/dev/null
}
reset_events() { # rows already in it
  psql "$DB" -qc "set client_min_messages = warning; drop table if exists public.events; create table public.events (event_id bigint primary key,
    user_id bigint not null, kind text not null, amount numeric(12,2), created_at timestamptz not null,
    active boolean, country char(2), payload text)" >/dev/null
  if [ "$1" -gt 0 ]; then
    psql "$DB" -qc "\\copy public.events from '$DATA/events-$ROWS.csv' (format csv, header true)" >/dev/null
    psql "$DB" -qc "delete from public.events where event_id % 2 = 0" >/dev/null
    psql "$DB" -qc "vacuum analyze public.events" >/dev/null
  fi
}

# one timed load through one way in; prints seconds, checks the counts
load() { # way table query file expected-received
  local start end report
  start=$(now)
  report=$(curl -sf -X POST -H 'Expect:' -H 'Content-Type: text/csv' \
    "localhost:${PORT_OF[$1]}/api/v1/tables/$2/rows?$3" -T "$4")
  end=$(now)
  echo "$report" | grep -q "\"rowsReceived\":$5," || { echo "unexpected report ($1 $3): $report" >&2; exit 1; }
  echo "$end - $start" | bc -l
}

OUT="$WORK/results.tmp"
: > "$OUT"
emit() { echo "$*" | tee -a "$OUT"; }
emit "PostgreSQL $(psql "$DB" -qtAc 'show server_version'), $("$PGBOUNCER" --version | head -1), $("$JAVA_BIN" -version 2>&1 | head -1), $HEAP; $ROWS rows; median of $RUNS runs, each case on the three in turn; client-side wall time."
emit ""
emit "| case | direct | PgBouncer session | PgBouncer transaction | transaction / direct |"
emit "|---|---|---|---|---|"

# a case: name, reset command, table, query, file, rows; the three ways in turn, RUNS times
bulk_case() {
  local name=$1 reset=$2 table=$3 query=$4 file=$5 rows=$6
  declare -A times
  for way in "${WAYS[@]}"; do times[$way]=""; done
  for _ in $(seq 1 "$RUNS"); do
    for way in "${WAYS[@]}"; do
      $reset
      times[$way]+="$(load "$way" "$table" "$query" "$file" "$rows") "
    done
  done
  local d s t
  d=$(echo "${times[direct]}" | tr ' ' '\n' | grep . | median)
  s=$(echo "${times[session]}" | tr ' ' '\n' | grep . | median)
  t=$(echo "${times[transaction]}" | tr ' ' '\n' | grep . | median)
  emit "| $name | $(printf '%.2f s (%.0f rows/s)' "$d" "$(echo "$rows / $d" | bc -l)") | $(printf '%.2f s (%.0f rows/s)' "$s" "$(echo "$rows / $s" | bc -l)") | $(printf '%.2f s (%.0f rows/s)' "$t" "$(echo "$rows / $t" | bc -l)") | $(printf '%.2f' "$(echo "$t / $d" | bc -l)") |"
}

if [[ " $SECTIONS " == *" bulk "* ]]; then
bulk_case "users CSV, copy, atomic" reset_users users "" "$DATA/users-$ROWS.csv" "$ROWS"
bulk_case "users CSV, batch, atomic" reset_users users "method=batch" "$DATA/users-$ROWS.csv" "$ROWS"
bulk_case "events CSV, copy, atomic=false" "reset_events 0" events "atomic=false" "$DATA/events-$ROWS.csv" "$ROWS"
bulk_case "events CSV, upsert (half exist), copy, atomic=false" "reset_events 1" events \
  "mode=upsert&atomic=false" "$DATA/events-$ROWS.csv" "$ROWS"
bulk_case "events CSV, upsert (half exist), batch, atomic=false, batchSize=5000" "reset_events 1" events \
  "mode=upsert&method=batch&atomic=false&batchSize=5000" "$DATA/events-$ROWS.csv" "$ROWS"
fi

# small loads: one client posts SMALL 10-row JSON loads one after another on a kept-alive connection (latency.py,
# after 100 warm-up loads), each way in turn, RUNS times; the median run's mean and p50
if [[ " $SECTIONS " == *" small "* ]]; then
  declare -A small_mean small_p50
  for way in "${WAYS[@]}"; do small_mean[$way]=""; small_p50[$way]=""; done
  reset_users
  for run in $(seq 1 "$RUNS"); do
    for way in "${WAYS[@]}"; do
      read -r mean p50 _ < <(python3 latency.py "${PORT_OF[$way]}" users "$SMALL" 10 100 "${way}r${run}")
      small_mean[$way]+="$mean "
      small_p50[$way]+="$p50 "
    done
  done
  row="| 10-row JSON insert, one client on a kept-alive connection (mean / p50 of $SMALL loads)"
  for way in "${WAYS[@]}"; do
    m=$(echo "${small_mean[$way]}" | tr ' ' '\n' | grep . | median)
    p=$(echo "${small_p50[$way]}" | tr ' ' '\n' | grep . | median)
    row+=" | $(printf '%.2f / %.2f ms' "$m" "$p")"
    [ "$way" = direct ] && direct_mean=$m
    [ "$way" = transaction ] && transaction_mean=$m
  done
  emit "$row | $(printf '%.2f' "$(echo "$transaction_mean / $direct_mean" | bc -l)") |"
fi

{ echo "# Loads through a connection pooler"; echo; echo "\`bench/poolers.sh\`, $(date -u +%Y-%m-%d)."; echo; cat "$OUT"; } \
  > "${BENCH_RESULTS:-results-poolers.md}"
