#!/usr/bin/env bash
# The write modes against the clean insert, side by side in one run, for one or more jars at once (before/after):
#   clean insert (COPY) of 1M items rows; the same with 1% bad rows of six kinds and onError=skip; an upsert of
#   1M rows of which half exist (after a clean load), on items (primary key, unique code, NOT NULL, CHECK, foreign
#   key; seeded with 10,000 rows), as run.sh's modes section. Each jar runs as its own service (secured as in
#   run.sh); every run loads each case with each jar in turn, BENCH_RUNS (3) runs; reported per jar: the median
#   wall seconds and rows/s, the ratio to that jar's clean insert, and CPU seconds per load of the service and of
#   PostgreSQL (the service's from cpu_used.py, PostgreSQL's from the /proc times of the backends connected to the
#   bench database: CPU time, less sensitive than wall time to other work on the machine).
#
#   BENCH_JARS="before=/tmp/before.jar after=../target/bulk-loader.jar" bench/modes.sh   # writes results-modes-speed.md
set -euo pipefail
cd "$(dirname "$0")"
ROWS="${BENCH_ROWS:-1000000}"
RUNS="${BENCH_RUNS:-3}"
HEAP="${BENCH_HEAP:--Xmx256m}"
PORT="${BENCH_PORT:-18880}"
JARS="${BENCH_JARS:-now=../target/bulk-loader.jar}"
RESULTS="${BENCH_RESULTS:-results-modes-speed.md}"
PYTHON=/usr/bin/python3
mkdir -p data work
if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do su postgres -c "pg_isready -q" && break; sleep 1; done
  su postgres -c "psql -qc \"alter user postgres password 'postgres'\"" >/dev/null
  su postgres -c "psql -qtc \"select 1 from pg_database where datname = 'bench_modes'\"" | grep -q 1 \
    || su postgres -c "psql -qc 'create database bench_modes'"
  BENCH_DATABASE_URL="postgresql://postgres:postgres@localhost:5432/bench_modes"
fi
DB="$BENCH_DATABASE_URL"
JDBC_URL="jdbc:postgresql://$(echo "$DB" | sed -E 's#^postgres(ql)?://([^@]*@)?##')"
DB_USER=$(echo "$DB" | sed -E 's#^postgres(ql)?://([^:@]*).*#\2#')
DB_PASS=$(echo "$DB" | sed -E 's#^postgres(ql)?://[^:]*:([^@]*)@.*#\2#')
JAVA_BIN="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
for kind in clean bad upsert; do
  [ -f "data/items-$kind-$ROWS.csv" ] \
    || $PYTHON gen_items.py "$kind" "$ROWS" "data/items-$kind-$ROWS.csv"
done

BENCH_API_KEY=$($PYTHON -c 'import secrets; print(secrets.token_hex(32))')
API_KEY_SHA256=$(printf %s "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)
declare -A PORTS PIDS
labels=()
port=$PORT
for entry in $JARS; do
  label=${entry%%=*} jar=${entry#*=}
  labels+=("$label")
  "$JAVA_BIN" $HEAP -XX:+ExitOnOutOfMemoryError -jar "$jar" --server.port="$port" \
    --management.server.port=$((port + 1)) --spring.datasource.url="$JDBC_URL" \
    --spring.datasource.username="$DB_USER" --spring.datasource.password="$DB_PASS" \
    --logging.level.dev.bulkload=WARN --bulkload.security.api-keys[0].name=bench \
    --bulkload.security.api-keys[0].sha256="$API_KEY_SHA256" --bulkload.security.api-keys[0].tables=public.* \
    > "work/modes-$label.log" 2>&1 &
  PIDS[$label]=$!
  PORTS[$label]=$port
  port=$((port + 2))
done
trap 'kill ${PIDS[*]} 2>/dev/null || true' EXIT
for label in "${labels[@]}"; do
  for _ in $(seq 1 240); do
    curl -sf "localhost:$((PORTS[$label] + 1))/actuator/health/readiness" >/dev/null && break; sleep 1
  done
done

reset_items() {
  psql "$DB" -qc "drop table if exists public.items; drop table if exists public.parents;
    create table public.parents (id int primary key); insert into public.parents select generate_series(1, 100);
    create table public.items (id bigint primary key, code text not null unique, qty int not null check (qty >= 0),
      parent_id int references public.parents (id));
    insert into public.items select -g, 'old_' || g, 1, 1 from generate_series(1, 10000) g" >/dev/null
}
# CPU ticks of the backends connected to the bench database (the services' pools keep theirs open across loads;
# other databases of the cluster, which other work may use, do not count)
pg_ticks() {
  local total=0 pid
  for pid in $(psql "$DB" -Atc "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"); do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
TICKS=$(getconf CLK_TCK)
load() { # label query file expected-counts: prints wall seconds, service and PostgreSQL CPU seconds
  local begin wall report pg0
  pg0=$(pg_ticks)
  begin=$(date +%s.%N)
  $PYTHON cpu_used.py work/modes-cpu.txt "${PIDS[$1]}" -- curl -sf -X POST -H 'Expect:' \
    -H "X-API-Key: $BENCH_API_KEY" "localhost:${PORTS[$1]}/api/v1/tables/items/rows?$2" \
    -H "Content-Type: text/csv" -T "$3" > work/modes-report.json
  wall=$(echo "$(date +%s.%N) - $begin" | bc -l)
  report=$(cat work/modes-report.json)
  echo "$report" | $PYTHON -c "import json,sys; r=json.load(sys.stdin); c=(r['rowsInserted'],r['rowsUpdated'],r['rowsSkipped'],r['rowsRejected']); assert c == $4, c" \
    || { echo "unexpected report: $report" >&2; exit 1; }
  local server postgres client
  read -r server postgres client < work/modes-cpu.txt
  echo "$wall $(echo "$server * $wall" | bc -l) $(echo "($(pg_ticks) - $pg0) / $TICKS" | bc -l)"
}
half=$((ROWS / 2)) bad=$((ROWS / 100))
declare -A wall scpu pcpu
for label in "${labels[@]}"; do  # warm-up (BENCH_WARMUP=0: none): one of each, not counted
  [ "${BENCH_WARMUP:-1}" = 0 ] && break
  reset_items; load "$label" "" "data/items-clean-$ROWS.csv" "($ROWS, 0, 0, 0)" >/dev/null
  reset_items; load "$label" "onError=skip" "data/items-bad-$ROWS.csv" "($((ROWS - bad)), 0, 0, $bad)" >/dev/null
done
for run in $(seq 1 "$RUNS"); do
  for label in "${labels[@]}"; do
    for case in clean skip upsert; do
      reset_items
      case $case in
        clean) out=$(load "$label" "" "data/items-clean-$ROWS.csv" "($ROWS, 0, 0, 0)") ;;
        skip) out=$(load "$label" "onError=skip" "data/items-bad-$ROWS.csv" "($((ROWS - bad)), 0, 0, $bad)") ;;
        upsert)
          load "$label" "" "data/items-clean-$ROWS.csv" "($ROWS, 0, 0, 0)" >/dev/null
          out=$(load "$label" "mode=upsert" "data/items-upsert-$ROWS.csv" "($half, $((ROWS - half)), 0, 0)") ;;
      esac
      read -r w s p <<< "$out"
      echo "run $run $label $case: $w s wall, service CPU $s s, PostgreSQL CPU $p s"
      wall[$label.$case]+="$w " scpu[$label.$case]+="$s " pcpu[$label.$case]+="$p "
    done
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
{
  echo "### write modes on items, $ROWS rows, $RUNS runs each, jars alternating ($(date -u +%F))"
  echo
  echo "| jar | case | wall s (median) | rows/s | × clean insert (wall) | service CPU s | PostgreSQL CPU s | service + PostgreSQL CPU, × clean insert |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  for label in "${labels[@]}"; do
    clean=$(echo "${wall[$label.clean]}" | median)
    cleancpu=$(echo "$(echo "${scpu[$label.clean]}" | median) + $(echo "${pcpu[$label.clean]}" | median)" | bc -l)
    for case in clean skip upsert; do
      w=$(echo "${wall[$label.$case]}" | median) s=$(echo "${scpu[$label.$case]}" | median)
      p=$(echo "${pcpu[$label.$case]}" | median)
      printf '| %s | %s | %.2f | %.0f | %.2f | %.2f | %.2f | %.2f |\n' "$label" "$case" "$w" "$(echo "$ROWS / $w" | bc -l)" \
        "$(echo "$clean / $w" | bc -l)" "$s" "$p" "$(echo "$cleancpu / ($s + $p)" | bc -l)"
    done
  done
  echo
  echo "Every run (wall s / service CPU s / PostgreSQL CPU s):"
  echo
  for key in "${!wall[@]}"; do echo "    $key: ${wall[$key]}/ ${scpu[$key]}/ ${pcpu[$key]}"; done | sort
} | tee "$RESULTS"
