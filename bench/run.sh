#!/usr/bin/env bash
# The benchmark: the service over HTTP against psql \copy of the same data on the same PostgreSQL
# server, in one run. Prints one table per section and writes them all to bench/results.md.
#
# Needs: the packaged jar (./mvnw -DskipTests package), psql, python3, curl, gzip, bc, and a
# PostgreSQL server: BENCH_DATABASE_URL (postgresql://user:pass@host:port/db) or the machine's
# Debian cluster, which this script starts with pg_ctlcluster.
set -euo pipefail
cd "$(dirname "$0")"
ROWS="${BENCH_ROWS:-1000000}"
RUNS="${BENCH_RUNS:-3}"
HEAP="${BENCH_HEAP:--Xmx256m}"
PORT="${BENCH_PORT:-18080}"
MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-$((PORT + 1))}"
BURST="${BENCH_BURST:-10000}"
BIG_BYTES="${BENCH_BIG_BYTES:-2147483648}"
SECTIONS="${BENCH_SECTIONS:-formats modes concurrency memory peer burst}"
PEER_PORT="${BENCH_PEER_PORT:-$((PORT + 2))}"
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
JDBC_URL="jdbc:postgresql://$(echo "$DB" | sed -E 's#^postgres(ql)?://([^@]*@)?##')"
DB_USER=$(echo "$DB" | sed -E 's#^postgres(ql)?://([^:@]*).*#\2#')
DB_PASS=$(echo "$DB" | sed -E 's#^postgres(ql)?://[^:]*:([^@]*)@.*#\2#')
[ -f "$JAR" ] || { echo "Build the jar first: ./mvnw -DskipTests package" >&2; exit 1; }

# the burst section opens thousands of connections at once
ulimit -n "$(ulimit -Hn)"
JAVA_BIN="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$JAVA_BIN" ] || JAVA_BIN=java
# secured as in production: every request of the clients carries an API key (the peer ignores it), which the
# service checks, and the key's grant (public.*) is checked for every load, as is the allow-list; the one
# bench caller may use every load slot (its share, max-loads-per-caller, is meant to keep callers apart)
BENCH_API_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
export BENCH_API_KEY
API_KEY_SHA256=$(printf %s "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)
# as in the image: an OutOfMemoryError ends the process; /actuator on a management port of its own
"$JAVA_BIN" $HEAP -XX:+ExitOnOutOfMemoryError -jar "$JAR" --server.port="$PORT" \
  --management.server.port="$MANAGEMENT_PORT" --spring.datasource.url="$JDBC_URL" \
  --spring.datasource.username="$DB_USER" --spring.datasource.password="$DB_PASS" \
  --logging.level.dev.bulkload=WARN --bulkload.security.api-keys[0].name=bench \
  --bulkload.security.api-keys[0].sha256="$API_KEY_SHA256" --bulkload.security.api-keys[0].tables=public.* \
  --bulkload.load.max-loads-per-caller=1000 \
  > work/service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$MANAGEMENT_PORT/actuator/health/readiness" >/dev/null && break; sleep 1; done

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
size_mb() { echo "$(stat -c %s "$1") / 1048576" | bc -l; }
OUT=work/results.tmp
: > "$OUT"
emit() { echo "$*" | tee -a "$OUT"; }

# --- tables --------------------------------------------------------------------------------------
reset_users() {
  psql "$DB" -qc "drop table if exists public.users; create table public.users (id bigserial primary key,
    name text not null, email text not null, created_at timestamptz not null default now())" >/dev/null
}
reset_events() {
  psql "$DB" -qc "drop table if exists public.events; create table public.events (event_id bigint primary key,
    user_id bigint not null, kind text not null, amount numeric(12,2), created_at timestamptz not null,
    active boolean, country char(2), payload text)" >/dev/null
}

# --- one timed load; prints seconds --------------------------------------------------------------
psql_copy() { # table columns file
  local start end
  start=$(now)
  psql "$DB" -qc "\\copy public.$1 ($2) from '$3' with (format csv, header true)" >/dev/null
  end=$(now)
  echo "$end - $start" | bc -l
}
http_load() { # table expected-rows query curl-args...
  local table=$1 expected=$2 query=$3 start end report inserted
  shift 3
  start=$(now)
  # -T streams the file as curl reads it (--data-binary @file reads it whole into memory first)
  report=$(curl -sf -X POST -H 'Expect:' -H "X-API-Key: $BENCH_API_KEY" "localhost:$PORT/api/v1/tables/$table/rows?$query" "$@")
  end=$(now)
  inserted=$(echo "$report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rowsInserted"])')
  [ "$inserted" = "$expected" ] || { echo "expected $expected rows, report: $report" >&2; exit 1; }
  echo "$end - $start" | bc -l
}

# --- section: formats ----------------------------------------------------------------------------
formats() { # dataset columns generator
  local set=$1 columns=$2 gen=$3 base="$DATA/$1-$ROWS"
  for fmt in csv ndjson json; do [ -f "$base.$fmt" ] || python3 "$gen" "$fmt" "$ROWS" "$base.$fmt"; done
  [ -f "$base.csv.gz" ] || gzip -k -6 "$base.csv"
  local -a names=("psql \\copy, csv" "HTTP text/csv, copy" "HTTP multipart csv, copy" "HTTP text/csv gzip, copy"
    "HTTP NDJSON, copy" "HTTP JSON array, copy" "HTTP text/csv, batch")
  local -a files=("$base.csv" "$base.csv" "$base.csv" "$base.csv.gz" "$base.ndjson" "$base.json" "$base.csv")
  declare -A seconds
  for _ in $(seq 1 "$RUNS"); do
    "reset_$set"; seconds[0]+="$(psql_copy "$set" "$columns" "$base.csv") "
    "reset_$set"; seconds[1]+="$(http_load "$set" "$ROWS" "" -H 'Content-Type: text/csv' -T "$base.csv") "
    "reset_$set"; seconds[2]+="$(http_load "$set" "$ROWS" "" -F "file=@$base.csv;type=text/csv") "
    "reset_$set"; seconds[3]+="$(http_load "$set" "$ROWS" "" -H 'Content-Type: text/csv' -H 'Content-Encoding: gzip' -T "$base.csv.gz") "
    "reset_$set"; seconds[4]+="$(http_load "$set" "$ROWS" "" -H 'Content-Type: application/x-ndjson' -T "$base.ndjson") "
    "reset_$set"; seconds[5]+="$(http_load "$set" "$ROWS" "" -H 'Content-Type: application/json' -T "$base.json") "
    "reset_$set"; seconds[6]+="$(http_load "$set" "$ROWS" "method=batch" -H 'Content-Type: text/csv' -T "$base.csv") "
  done
  local reference
  reference=$(echo "${seconds[0]}" | tr ' ' '\n' | grep . | median)
  emit ""
  emit "### $set, $ROWS rows ($(printf '%.0f' "$(size_mb "$base.csv")") MB as CSV)"
  emit ""
  emit "| case | rows/s | MB/s sent | ratio to psql \\copy |"
  emit "|---|---:|---:|---:|"
  for i in "${!names[@]}"; do
    local s
    s=$(echo "${seconds[$i]}" | tr ' ' '\n' | grep . | median)
    emit "$(printf '| %s | %.0f | %.1f | %.2f |' "${names[$i]}" "$(echo "$ROWS / $s" | bc -l)" \
      "$(echo "$(size_mb "${files[$i]}") / $s" | bc -l)" "$(echo "$reference / $s" | bc -l)")"
  done
}

# --- section: write modes ------------------------------------------------------------------------
reset_items() {
  psql "$DB" -qc "drop table if exists public.items; drop table if exists public.parents;
    create table public.parents (id int primary key); insert into public.parents select generate_series(1, 100);
    create table public.items (id bigint primary key, code text not null unique, qty int not null check (qty >= 0),
      parent_id int references public.parents (id));
    insert into public.items select -g, 'old_' || g, 1, 1 from generate_series(1, 10000) g" >/dev/null
}
items_load() { # query file expected-counts
  local start end report
  start=$(now)
  report=$(curl -sf -X POST -H 'Expect:' -H "X-API-Key: $BENCH_API_KEY" "localhost:$PORT/api/v1/tables/items/rows?$1" -H "Content-Type: text/csv" -T "$2")
  end=$(now)
  echo "$report" | python3 -c "import json,sys; r=json.load(sys.stdin); c=(r['rowsInserted'],r['rowsUpdated'],r['rowsSkipped'],r['rowsRejected']); assert c == $3, c" \
    || { echo "unexpected report: $report" >&2; exit 1; }
  echo "$end - $start" | bc -l
}
modes() {
  for kind in clean bad upsert; do
    [ -f "$DATA/items-$kind-$ROWS.csv" ] || python3 gen_items.py "$kind" "$ROWS" "$DATA/items-$kind-$ROWS.csv"
  done
  local half=$((ROWS / 2)) bad=$((ROWS / 100))
  local -a names=("clean insert, copy" "1% bad rows, onError=skip" "upsert, half the keys exist")
  declare -A seconds
  for _ in $(seq 1 "$RUNS"); do
    reset_items; seconds[0]+="$(items_load "" "$DATA/items-clean-$ROWS.csv" "($ROWS, 0, 0, 0)") "
    reset_items; seconds[1]+="$(items_load "onError=skip" "$DATA/items-bad-$ROWS.csv" "($((ROWS - bad)), 0, 0, $bad)") "
    reset_items; items_load "" "$DATA/items-clean-$ROWS.csv" "($ROWS, 0, 0, 0)" >/dev/null
    seconds[2]+="$(items_load "mode=upsert" "$DATA/items-upsert-$ROWS.csv" "($half, $((ROWS - half)), 0, 0)") "
  done
  local clean
  clean=$(echo "${seconds[0]}" | tr ' ' '\n' | grep . | median)
  emit ""
  emit "### write modes: items (primary key, unique code, NOT NULL, CHECK, foreign key), $ROWS rows"
  emit ""
  emit "| case | rows/s | ratio to the clean insert |"
  emit "|---|---:|---:|"
  for i in "${!names[@]}"; do
    local s
    s=$(echo "${seconds[$i]}" | tr ' ' '\n' | grep . | median)
    emit "$(printf '| %s | %.0f | %.2f |' "${names[$i]}" "$(echo "$ROWS / $s" | bc -l)" "$(echo "$clean / $s" | bc -l)")"
  done
}

# --- section: concurrency ------------------------------------------------------------------------
concurrency() {
  reset_users
  read -r rate p50 p99 busy errors < <(python3 concurrent_loads.py "$PORT" users 16 200 1000)
  emit ""
  emit "### concurrency: 16 clients x 200 loads of 1,000-row JSON arrays (users)"
  emit ""
  emit "| rows/s | p50 ms | p99 ms | 503 answers (retried after Retry-After) | errors |"
  emit "|---:|---:|---:|---:|---:|"
  emit "| $rate | $p50 | $p99 | $busy | $errors |"
  [ "$errors" = 0 ] || { echo "concurrency case had errors" >&2; exit 1; }
}

# --- section: memory -----------------------------------------------------------------------------
heap_used() {
  curl -s "localhost:$MANAGEMENT_PORT/actuator/prometheus" | grep '^jvm_memory_used_bytes{' | grep -F 'area="heap"' \
    | awk '{s+=$NF} END {printf "%.0f", s}'
}
memory() {
  reset_users
  local max_heap=0 start end report rows
  start=$(now)
  python3 big_csv.py "$BIG_BYTES" 2>work/big.rows | curl -sf -X POST -H 'Expect:' -H "X-API-Key: $BENCH_API_KEY" "localhost:$PORT/api/v1/tables/users/rows" \
    -H 'Content-Type: text/csv' -T - > work/big.report &
  local upload=$!
  while kill -0 $upload 2>/dev/null; do
    local h
    h=$(heap_used)
    [ "${h:-0}" -gt "$max_heap" ] && max_heap=$h
    sleep 2
  done
  wait $upload
  end=$(now)
  report=$(cat work/big.report)
  rows=$(echo "$report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rowsInserted"])')
  [ "$rows" = "$(cat work/big.rows)" ] || { echo "2 GB load: expected $(cat work/big.rows) rows, report $report" >&2; exit 1; }
  emit ""
  emit "### memory: a $((BIG_BYTES / 1048576)) MiB CSV upload streamed from a generator, service at $HEAP"
  emit ""
  emit "| rows | seconds | MB/s | peak heap used (sampled every 2 s) | service peak RSS |"
  emit "|---:|---:|---:|---:|---:|"
  emit "$(printf '| %s | %.1f | %.1f | %d MiB | %d MiB |' "$rows" "$(echo "$end - $start" | bc -l)" \
    "$(echo "$BIG_BYTES / 1048576 / ($end - $start)" | bc -l)" "$((max_heap / 1048576))" \
    "$(($(awk '/VmHWM/ {print $2}' "/proc/$SERVICE/status") / 1024))")"
}

# --- section: burst ------------------------------------------------------------------------------
burst() {
  reset_users
  emit ""
  emit "### burst: $BURST connections at once against the service at $HEAP"
  emit ""
  emit "| requests | 200 | 503 | 429 | other | unanswered | peak heap used / max | /livez during the burst (ok, failed, slowest) | management-port liveness (failed, slowest) | a load afterwards | seconds |"
  emit "|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|"
  local variant ok busy share other unanswered heap max lok lfail lmax after seconds mfail mmax
  for variant in load early-close tables; do
    read -r ok busy share other unanswered heap max lok lfail lmax after seconds mfail mmax \
      < <(python3 burst.py "$PORT" "$MANAGEMENT_PORT" users "$BURST" "$variant" 2>>work/burst.log)
    kill -0 "$SERVICE" 2>/dev/null || { echo "the service died in the $variant burst" >&2; exit 1; }
    local what
    case $variant in
      load) what="10-row JSON loads" ;;
      early-close) what="load headers only, then the client stops sending" ;;
      tables) what="GET /api/v1/tables (not loads)" ;;
    esac
    emit "| $what | $ok | $busy | $share | $other | $unanswered | $heap / $max MiB | $lok, $lfail, $lmax ms | $mfail, $mmax ms | $after | $seconds |"
  done
}

# --- section: downloads (rejects downloads read slowly, next to loads and the registry) ----------
downloads() {
  emit ""
  emit "### downloads: 20,000 stored rejects, ${BENCH_DOWNLOADS:-50} downloads of them whose clients stop reading"
  emit ""
  emit "| phase | 1-row loads answered 200 | load mean ms | load max ms | GET /api/v1/loads answered 200 | listing mean ms | listing max ms | downloads answering 200 | service connections idle in transaction |"
  emit "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  while IFS= read -r line; do emit "$line"; done < <(python3 slow_downloads.py "$PORT" "$DB" "${BENCH_DOWNLOADS:-50}")
}

# --- section: peer (FastAPI + asyncpg, the usual Python answer, against the same database) -------
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
cores() { echo "$1 + $2 + $3 (of $(nproc))"; }
start_peer() {
  if ! /usr/bin/python3 -c 'import fastapi, uvicorn, asyncpg' 2>/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-fastapi python3-uvicorn python3-asyncpg >/dev/null
  fi
  PEER_DATABASE_URL="$DB" /usr/bin/python3 -m uvicorn --app-dir peers fastapi_loader:app --workers 2 \
    --port "$PEER_PORT" --log-level warning --no-access-log > work/peer.log 2>&1 &
  PEER=$!
  trap 'kill $SERVICE $PEER 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do curl -s -o /dev/null "localhost:$PEER_PORT/docs" && break; sleep 1; done
}
# one run of concurrent_loads.py under cpu_used.py: prints rows/s, p50, p99, 503s and the cores used
concurrent_run() { # port pids clients loads rows format prefix
  reset_users
  python3 cpu_used.py work/cpu.txt "$2" -- python3 concurrent_loads.py "$1" users "$3" "$4" "$5" "$6" "$7" \
    > work/concurrent.txt
  local rate r50 r99 b errors
  read -r rate r50 r99 b errors < work/concurrent.txt
  [ "$errors" = 0 ] || { echo "peer section: $7 had errors ($3 x $5)" >&2; exit 1; }
  echo "$rate $r50 $r99 $b $(cat work/cpu.txt)"
}
# of the runs "who figures...", those of who: the one with the median first figure, without who
median_run() { # who runs...
  local who=$1
  shift
  printf '%s\n' "$@" | awk -v w="$who" '$1 == w' | sort -g -k2 | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}' \
    | cut -d' ' -f2-
}
peer() {
  start_peer
  local loads="${BENCH_LATENCY_LOADS:-2000}"
  local -A mean p50 p99 wmean wp50 wp99 rate cp50 cp99 crate np50 np99 busy ccpu ncpu
  local who port pids b c1 c2 c3
  # the first loads of a just-started service, once (a JVM compiles its hot paths over the first thousands)
  for who in service peer; do
    port=$PORT; [ $who = peer ] && port=$PEER_PORT
    reset_users
    read -r mean[$who] p50[$who] p99[$who] < <(python3 latency.py "$port" users "$loads" 10 300 "$who")
  done
  # then each case $RUNS times, the two sides in turn, and the median run (by rows/s or mean latency) reported
  local -a cruns nruns lruns
  for run in $(seq 1 "$RUNS"); do
    for who in service peer; do
      port=$PORT pids=$SERVICE; [ $who = peer ] && port=$PEER_PORT pids=$PEER
      cruns+=("$who $(concurrent_run "$port" "$pids" 16 200 1000 json "$who$run")")
      nruns+=("$who $(concurrent_run "$port" "$pids" 100 50 100 ndjson "$who$run")")
      reset_users
      lruns+=("$who $(python3 latency.py "$port" users "$loads" 10 300 "${who}w$run")")
    done
  done
  for who in service peer; do
    read -r crate[$who] cp50[$who] cp99[$who] b c1 c2 c3 < <(median_run "$who" "${cruns[@]}")
    ccpu[$who]="$c1 $c2 $c3"; busy[$who]=$b
    read -r rate[$who] np50[$who] np99[$who] b c1 c2 c3 < <(median_run "$who" "${nruns[@]}")
    ncpu[$who]="$c1 $c2 $c3"; busy[$who]=$((busy[$who] + b))
    read -r wmean[$who] wp50[$who] wp99[$who] < <(median_run "$who" "${lruns[@]}")
  done
  local base="$DATA/users-$ROWS"
  for fmt in csv ndjson; do [ -f "$base.$fmt" ] || python3 gen_users.py "$fmt" "$ROWS" "$base.$fmt"; done
  local -A big
  for _ in $(seq 1 "$RUNS"); do
    reset_users; big[copy]+="$(psql_copy users "name, email" "$base.csv") "
    for who in service peer; do
      local saved=$PORT; [ $who = peer ] && PORT=$PEER_PORT
      reset_users; big[$who-ndjson]+="$(http_load users "$ROWS" "" -H 'Content-Type: application/x-ndjson' -T "$base.ndjson") "
      reset_users; big[$who-csv]+="$(http_load users "$ROWS" "" -H 'Content-Type: text/csv' -T "$base.csv") "
      PORT=$saved
    done
  done
  for k in "${!big[@]}"; do big[$k]=$(echo "${big[$k]}" | tr ' ' '\n' | grep . | median); done
  emit ""
  emit "### small and concurrent loads: bulk-loader against FastAPI + asyncpg (bench/peers, 2 uvicorn workers), users"
  emit ""
  emit "| case | bulk-loader | FastAPI + asyncpg | ratio (bulk-loader / peer) |"
  emit "|---|---:|---:|---:|"
  emit "| 10-row JSON load, one client, $loads loads after 300, just started: mean ms | ${mean[service]} | ${mean[peer]} | $(ratio "${mean[service]}" "${mean[peer]}") (latency, lower is better) |"
  emit "| … p50 / p99 ms | ${p50[service]} / ${p99[service]} | ${p50[peer]} / ${p99[peer]} | |"
  emit "| 16 clients × 200 loads of 1,000-row JSON: rows/s | ${crate[service]} | ${crate[peer]} | $(ratio "${crate[service]}" "${crate[peer]}") |"
  emit "| … p50 / p99 ms | ${cp50[service]} / ${cp99[service]} | ${cp50[peer]} / ${cp99[peer]} | |"
  emit "| … cores used: server, PostgreSQL, client | $(cores ${ccpu[service]}) | $(cores ${ccpu[peer]}) | |"
  emit "| 100 clients × 50 loads of 100-row NDJSON: rows/s | ${rate[service]} | ${rate[peer]} | $(ratio "${rate[service]}" "${rate[peer]}") |"
  emit "| … p50 / p99 ms | ${np50[service]} / ${np99[service]} | ${np50[peer]} / ${np99[peer]} | |"
  emit "| … cores used: server, PostgreSQL, client | $(cores ${ncpu[service]}) | $(cores ${ncpu[peer]}) | |"
  emit "| 10-row JSON load again, after those (9,000+ loads served): mean ms | ${wmean[service]} | ${wmean[peer]} | $(ratio "${wmean[service]}" "${wmean[peer]}") (latency, lower is better) |"
  emit "| … p50 / p99 ms | ${wp50[service]} / ${wp99[service]} | ${wp50[peer]} / ${wp99[peer]} | |"
  emit "$(printf '| %s-row NDJSON load: rows/s | %.0f | %.0f | %.2f |' "$ROWS" "$(echo "$ROWS / ${big[service-ndjson]}" | bc -l)" \
    "$(echo "$ROWS / ${big[peer-ndjson]}" | bc -l)" "$(echo "${big[peer-ndjson]} / ${big[service-ndjson]}" | bc -l)")"
  emit "$(printf '| %s-row CSV load: rows/s (psql \\copy: %.0f) | %.0f | %.0f | %.2f (%.2f × psql \\copy) |' "$ROWS" \
    "$(echo "$ROWS / ${big[copy]}" | bc -l)" "$(echo "$ROWS / ${big[service-csv]}" | bc -l)" \
    "$(echo "$ROWS / ${big[peer-csv]}" | bc -l)" "$(echo "${big[peer-csv]} / ${big[service-csv]}" | bc -l)" \
    "$(echo "${big[copy]} / ${big[service-csv]}" | bc -l)")"
  emit "| 503 answers retried (service / peer) | ${busy[service]} | ${busy[peer]} | |"
  kill "$PEER" 2>/dev/null; wait "$PEER" 2>/dev/null || true
}

emit "## bulk-loader benchmark — $(date -u +%Y-%m-%d)"
emit ""
emit "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(psql "$DB" -tAc 'select version()' | cut -d, -f1)."
emit "Service: $("$JAVA_BIN" -version 2>&1 | head -1), $HEAP, port $PORT; each figure the median of $RUNS runs; client-side wall time (curl or psql from start to exit)."
for section in $SECTIONS; do
  case $section in
    formats)
      formats users "name, email" gen_users.py
      formats events "event_id, user_id, kind, amount, created_at, active, country, payload" gen_events.py ;;
    modes) modes ;;
    concurrency) concurrency ;;
    memory) memory ;;
    burst) burst ;;
    downloads) downloads ;;
    peer) peer ;;
  esac
done
emit ""
emit "Service peak RSS over the whole run: $(($(awk '/VmHWM/ {print $2}' "/proc/$SERVICE/status") / 1024)) MiB."
cp "$OUT" "${BENCH_RESULTS:-results.md}"
