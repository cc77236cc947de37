#!/usr/bin/env bash
# Small concurrent loads, measured by what the server spends: 100 clients x 100-row NDJSON loads into a table
# shaped as users (bench/concurrent_loads.py), against one or more packaged jars of the service and the FastAPI +
# asyncpg peer (bench/peers), all started side by side and run in turn, RUNS times. For each run and side it prints
# rows/s (wall clock: noise on a shared machine) and the server's CPU per row in microseconds (its processes' user +
# system CPU time during the run, from /proc, divided by the rows loaded), which does not depend on what else the
# machine runs; a jar's also split into its JIT compiler threads, its GC threads and the rest.
#
#   bench/small_loads_cpu.sh [JAR...]      (default: target/bulk-loader.jar)
# Environment: SMALL_RUNS (3), SMALL_CLIENTS (100), SMALL_LOADS (20 loads per client), SMALL_ROWS (100),
# SMALL_WARM (8 warm-up rounds of 50 loads per client before the runs; the peer gets one), SMALL_TABLE
# (small_users: a name of its own, so that another benchmark on the same database is not disturbed),
# BENCH_DATABASE_URL (postgresql://postgres:postgres@localhost:5432/bench), SMALL_PORT (18680; a jar takes
# PORT + 10 * its position, its management port one more, the peer PORT + 2), SMALL_JFR (a directory: each jar
# runs with JFR's profile settings and dumps its recording there at the end), SMALL_NO_PEER=1 (jars only).
set -euo pipefail
cd "$(dirname "$0")"
RUNS="${SMALL_RUNS:-3}"
CLIENTS="${SMALL_CLIENTS:-100}"
LOADS="${SMALL_LOADS:-20}"
ROWS="${SMALL_ROWS:-100}"
WARM="${SMALL_WARM:-8}"
TABLE="${SMALL_TABLE:-small_users}"
PORT="${SMALL_PORT:-18680}"
DB="${BENCH_DATABASE_URL:-postgresql://postgres:postgres@localhost:5432/bench}"
JDBC_URL="jdbc:postgresql://$(echo "$DB" | sed -E 's#^postgres(ql)?://([^@]*@)?##')"
DB_USER=$(echo "$DB" | sed -E 's#^postgres(ql)?://([^:@]*).*#\2#')
DB_PASS=$(echo "$DB" | sed -E 's#^postgres(ql)?://[^:]*:([^@]*)@.*#\2#')
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=(../target/bulk-loader.jar)
mkdir -p work
BENCH_API_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
export BENCH_API_KEY
API_KEY_SHA256=$(printf %s "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)

reset_users() {
  psql "$DB" -qc "drop table if exists public.$TABLE; create table public.$TABLE (id bigserial primary key,
    name text not null, email text not null, created_at timestamptz not null default now())" >/dev/null
}
# user and system CPU ticks of the given pids and their children (uvicorn's workers)
ticks() {
  python3 - "$@" <<'EOF'
import sys
def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]), int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0, 0
def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []
all = [ticks(p) for p in map(int, sys.argv[1:])] + [ticks(c) for p in map(int, sys.argv[1:]) for c in children(p)]
print(sum(t[0] for t in all), sum(t[1] for t in all))
EOF
}

# a JVM's CPU ticks by kind of thread: "compiler gc other" (the JIT's compiler threads, the garbage collector's)
jvm_ticks() {
  python3 - "$1" <<'EOF'
import os, sys
kinds = {"compiler": 0, "gc": 0, "other": 0}
for task in os.listdir(f"/proc/{sys.argv[1]}/task"):
    try:
        with open(f"/proc/{sys.argv[1]}/task/{task}/comm") as f:
            name = f.read().strip()
        with open(f"/proc/{sys.argv[1]}/task/{task}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    kind = "compiler" if "CompilerThre" in name else "gc" if name.startswith(("GC Thread", "G1 ")) else "other"
    kinds[kind] += int(fields[11]) + int(fields[12])
print(kinds["compiler"], kinds["gc"], kinds["other"])
EOF
}

declare -a NAMES PIDS PORTS
PIDS_ALL=""
trap 'kill $PIDS_ALL 2>/dev/null || true' EXIT
for i in "${!JARS[@]}"; do
  jar="${JARS[$i]}"
  port=$((PORT + 10 * i)); mport=$((port + 1))
  jfr=""
  [ -n "${SMALL_JFR:-}" ] && jfr="-XX:FlightRecorderOptions:stackdepth=256"
  "$JAVA_HOME/bin/java" -Xmx256m -XX:+ExitOnOutOfMemoryError $jfr -jar "$jar" --server.port=$port \
    --management.server.port=$mport --spring.datasource.url="$JDBC_URL" \
    --spring.datasource.username="$DB_USER" --spring.datasource.password="$DB_PASS" \
    --logging.level.dev.bulkload=WARN --bulkload.security.api-keys[0].name=bench \
    --bulkload.security.api-keys[0].sha256="$API_KEY_SHA256" --bulkload.security.api-keys[0].tables=public.* \
    --bulkload.load.max-loads-per-caller=1000 > "work/small-service-$i.log" 2>&1 &
  PIDS[$i]=$!; PORTS[$i]=$port; NAMES[$i]="jar$i:$(basename "$jar")"
  PIDS_ALL="$PIDS_ALL ${PIDS[$i]}"
  for _ in $(seq 1 180); do curl -sf "localhost:$mport/actuator/health/readiness" >/dev/null && break; sleep 1; done
done
if [ -z "${SMALL_NO_PEER:-}" ]; then
  i=${#JARS[@]}
  PEER_DATABASE_URL="$DB" /usr/bin/python3 -m uvicorn --app-dir peers fastapi_loader:app --workers 2 \
    --port $((PORT + 2)) --log-level warning --no-access-log > work/small-peer.log 2>&1 &
  PIDS[$i]=$!; PORTS[$i]=$((PORT + 2)); NAMES[$i]="peer"
  PIDS_ALL="$PIDS_ALL ${PIDS[$i]}"
  for _ in $(seq 1 60); do curl -s -o /dev/null "localhost:$((PORT + 2))/docs" && break; sleep 1; done
fi

# warm up every side: a JVM compiles its hot paths over the first tens of thousands of loads (its compiler
# threads still took a fifth of the service's CPU after 30,000 of these loads), then start JFR
for i in "${!PIDS[@]}"; do
  rounds=$WARM; [ "${NAMES[$i]}" = peer ] && rounds=1  # no JIT to warm up
  for w in $(seq 1 "$rounds"); do
    reset_users
    python3 concurrent_loads.py "${PORTS[$i]}" "$TABLE" "$CLIENTS" 50 "$ROWS" ndjson "warm$i.$w" > /dev/null
  done
  if [ -n "${SMALL_JFR:-}" ] && [ "${NAMES[$i]}" != peer ]; then
    "$JAVA_HOME/bin/jcmd" "${PIDS[$i]}" JFR.start name=small settings=profile > /dev/null
  fi
done

echo "# $CLIENTS clients x $LOADS loads of $ROWS-row NDJSON, $RUNS runs; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# side  run  rows/s  p50ms  p99ms  503s  server-cores  server-us-per-row (user+system) [a jar's: JIT compiler+GC+the rest]"
rows=$((CLIENTS * LOADS * ROWS))
# CPU ticks as microseconds per row loaded
per_row() { echo "$1 / $(getconf CLK_TCK) * 1000000 / $rows" | bc -l | xargs printf '%.2f'; }
declare -A SUM
for run in $(seq 1 "$RUNS"); do
  for i in "${!PIDS[@]}"; do
    reset_users
    pids="${PIDS[$i]}"
    read -r user0 sys0 < <(ticks $pids)
    [ "${NAMES[$i]}" != peer ] && read -r jit0 gc0 _ < <(jvm_ticks $pids)
    python3 cpu_used.py work/small-cpu.txt "$pids" -- \
      python3 concurrent_loads.py "${PORTS[$i]}" "$TABLE" "$CLIENTS" "$LOADS" "$ROWS" ndjson "r$run" > work/small-run.txt
    read -r user1 sys1 < <(ticks $pids)
    kinds=""
    if [ "${NAMES[$i]}" != peer ]; then
      read -r jit1 gc1 _ < <(jvm_ticks $pids)
      # the rest from the process's total: a request thread that ended during the run has left its task list
      kinds=" [$(per_row "($jit1 - $jit0)")+$(per_row "($gc1 - $gc0)")+$(per_row "($user1 + $sys1 - $user0 - $sys0 - ($jit1 - $jit0) - ($gc1 - $gc0))")]"
    fi
    read -r rate p50 p99 busy errors < work/small-run.txt
    [ "$errors" = 0 ] || { echo "${NAMES[$i]} run $run had errors" >&2; exit 1; }
    read -r cores _ < work/small-cpu.txt
    us=$(per_row "($user1 + $sys1 - $user0 - $sys0)")
    split="$(per_row "($user1 - $user0)")+$(per_row "($sys1 - $sys0)")"
    SUM[$i]=$(echo "${SUM[$i]:-0} + $us" | bc -l)
    echo "${NAMES[$i]} $run $rate $p50 $p99 $busy $cores $us ($split)$kinds"
  done
done
for i in "${!PIDS[@]}"; do
  echo "# ${NAMES[$i]}: mean server CPU per row $(echo "${SUM[$i]} / $RUNS" | bc -l | xargs printf '%.2f') us"
  if [ -n "${SMALL_JFR:-}" ] && [ "${NAMES[$i]}" != peer ]; then
    mkdir -p "$SMALL_JFR"
    "$JAVA_HOME/bin/jcmd" "${PIDS[$i]}" JFR.dump name=small filename="$(realpath "$SMALL_JFR")/jar$i.jfr" > /dev/null
  fi
done
