#!/usr/bin/env bash
# Charsets: a 1M-row users CSV over HTTP in UTF-8 (as it is read: no extra layer) and transcoded from
# windows-1252 and UTF-16LE, with psql \copy of the UTF-8 file as the reference, the cases interleaved in
# every run on the same PostgreSQL. With BENCH_BASELINE_JAR (a jar built before charsets were read), the
# UTF-8 cases run against it too, side by side on its own port, to show UTF-8 did not slow down.
#
#   ./mvnw -DskipTests package
#   BENCH_BASELINE_JAR=/path/to/older/bulk-loader.jar bench/charsets.sh
#
# Knobs: BENCH_ROWS (1000000), BENCH_RUNS (5; the median is reported), BENCH_HEAP (-Xmx256m),
# BENCH_PORT (18180; the baseline on the next one), BENCH_JAR (../target/bulk-loader.jar),
# BENCH_DATABASE_URL (else the machine's Debian cluster, started with pg_ctlcluster).
set -euo pipefail
cd "$(dirname "$0")"
ROWS="${BENCH_ROWS:-1000000}"
RUNS="${BENCH_RUNS:-5}"
HEAP="${BENCH_HEAP:--Xmx256m}"
PORT="${BENCH_PORT:-18180}"
BASE_PORT=$((PORT + 1))
JAR="${BENCH_JAR:-../target/bulk-loader.jar}"
BASELINE="${BENCH_BASELINE_JAR:-}"
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
JAVA_BIN="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$JAVA_BIN" ] || JAVA_BIN=java

# the users data set with a name of accented letters, € and curly quotes on every row: in UTF-8,
# windows-1252 and UTF-16LE, the same text
csv="$DATA/users-accented-$ROWS.csv"
[ -f "$csv" ] || python3 - "$ROWS" "$csv" <<'PY'
import sys
rows, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", encoding="utf-8", newline="") as out:
    out.write("name,email\n")
    for i in range(1, rows + 1):
        out.write(f"Jürgen Weiß “{i}” €,user_{i}@example.com\n")
PY
[ -f "$csv.cp1252" ] || iconv -f UTF-8 -t WINDOWS-1252 "$csv" > "$csv.cp1252"
[ -f "$csv.utf16le" ] || iconv -f UTF-8 -t UTF-16LE "$csv" > "$csv.utf16le"

# secured as in production, as run.sh runs it: an API key on every request, its grant checked for every load
BENCH_API_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
API_KEY_SHA256=$(printf %s "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)
start_service() { # jar port log
  "$JAVA_BIN" $HEAP -jar "$1" --server.port="$2" --management.server.port=0 --spring.datasource.url="$JDBC_URL" \
    --spring.datasource.username="$DB_USER" --spring.datasource.password="$DB_PASS" \
    --logging.level.dev.bulkload=WARN --bulkload.security.api-keys[0].name=bench \
    --bulkload.security.api-keys[0].sha256="$API_KEY_SHA256" --bulkload.security.api-keys[0].tables=public.* \
    > "$3" 2>&1 &
  echo $!
}
SERVICE=$(start_service "$JAR" "$PORT" work/charsets-service.log)
BASE=""
[ -n "$BASELINE" ] && BASE=$(start_service "$BASELINE" "$BASE_PORT" work/charsets-baseline.log)
trap 'kill $SERVICE $BASE 2>/dev/null || true' EXIT
for port in $PORT ${BASE:+$BASE_PORT}; do
  for _ in $(seq 1 120); do curl -sf "localhost:$port/livez" >/dev/null && break; sleep 1; done
done

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
reset_users() {
  psql "$DB" -qc "drop table if exists public.users; create table public.users (id bigserial primary key,
    name text not null, email text not null, created_at timestamptz not null default now())" >/dev/null
}
psql_copy() {
  local start end
  start=$(now)
  psql "$DB" -qc "\\copy public.users (name, email) from '$csv' with (format csv, header true)" >/dev/null
  end=$(now)
  echo "$end - $start" | bc -l
}
# CPU seconds a service process has used (all its threads): on a busy machine the wall time of a load says as
# much about the neighbours as about the service, its CPU time much less
cpu_seconds() { awk -v tick="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / tick}' "/proc/$1/stat"; }
http_load() { # port pid content-type file; prints "wall-seconds service-cpu-seconds"
  local start end report inserted cpu_start cpu_end
  cpu_start=$(cpu_seconds "$2")
  start=$(now)
  report=$(curl -sf -X POST -H 'Expect:' -H "X-API-Key: $BENCH_API_KEY" "localhost:$1/api/v1/tables/users/rows" -H "Content-Type: $3" -T "$4")
  end=$(now)
  cpu_end=$(cpu_seconds "$2")
  inserted=$(echo "$report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rowsInserted"])')
  [ "$inserted" = "$ROWS" ] || { echo "expected $ROWS rows, report: $report" >&2; exit 1; }
  echo "$(echo "$end - $start" | bc -l) $(echo "$cpu_end - $cpu_start" | bc -l)"
}

names=("psql \\copy, UTF-8" "HTTP text/csv, UTF-8" "HTTP text/csv; charset=windows-1252"
  "HTTP text/csv; charset=utf-16le")
files=("$csv" "$csv" "$csv.cp1252" "$csv.utf16le")
[ -n "$BASE" ] && names+=("baseline HTTP text/csv, UTF-8") && files+=("$csv")
declare -A seconds cpu
record() { # case "wall cpu"
  seconds[$1]+="${2% *} "
  cpu[$1]+="${2#* } "
}
# a warm-up load each, not counted
reset_users; http_load "$PORT" "$SERVICE" "text/csv" "$csv" >/dev/null
[ -n "$BASE" ] && { reset_users; http_load "$BASE_PORT" "$BASE" "text/csv" "$csv" >/dev/null; }
baseline() { reset_users; record 4 "$(http_load "$BASE_PORT" "$BASE" "text/csv" "$csv")"; }
for run in $(seq 1 "$RUNS"); do
  reset_users; seconds[0]+="$(psql_copy) "
  # the baseline and this build in turn, first one then the other, so neither always runs on a warmer machine
  if [ -n "$BASE" ] && [ $((run % 2)) = 1 ]; then baseline; fi
  reset_users; record 1 "$(http_load "$PORT" "$SERVICE" "text/csv" "$csv")"
  if [ -n "$BASE" ] && [ $((run % 2)) = 0 ]; then baseline; fi
  reset_users; record 2 "$(http_load "$PORT" "$SERVICE" "text/csv; charset=windows-1252" "$csv.cp1252")"
  reset_users; record 3 "$(http_load "$PORT" "$SERVICE" "text/csv; charset=utf-16le" "$csv.utf16le")"
done
stat_of() { echo "$1" | tr ' ' '\n' | grep . | "$2"; }
minimum() { sort -g | head -1; }
reference=$(stat_of "${seconds[0]}" median)
echo
echo "### charsets: users, $ROWS rows, a name of accented letters, € and curly quotes on every row ($RUNS runs)"
echo
echo "| case | MB sent | seconds, median | seconds, best | rows/s (median) | ratio to psql \\copy | service CPU s, median | service CPU s, best |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for i in "${!names[@]}"; do
  s=$(stat_of "${seconds[$i]}" median)
  if [ "$i" = 0 ]; then cpu_median="–"; cpu_best="–"
  else cpu_median=$(printf %.2f "$(stat_of "${cpu[$i]}" median)"); cpu_best=$(printf %.2f "$(stat_of "${cpu[$i]}" minimum)"); fi
  printf '| %s | %.0f | %.2f | %.2f | %.0f | %.2f | %s | %s |\n' "${names[$i]}" \
    "$(echo "$(stat -c %s "${files[$i]}") / 1048576" | bc -l)" "$s" "$(stat_of "${seconds[$i]}" minimum)" \
    "$(echo "$ROWS / $s" | bc -l)" "$(echo "$reference / $s" | bc -l)" "$cpu_median" "$cpu_best"
done
echo
echo "every run (wall seconds / service CPU seconds):"
for i in "${!names[@]}"; do echo "  ${names[$i]}: ${seconds[$i]}/ ${cpu[$i]:-}"; done
