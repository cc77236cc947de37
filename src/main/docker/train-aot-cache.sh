#!/bin/sh
# Trains the image's AOT cache (JDK 25, JEP 483/514/515) with real loads: run in the directory of the extracted
# application (application.jar and lib/), it starts the service with -XX:AOTCacheOutput and
# bulkload.training.enabled=true, which loads every format, mode and method into a throw-away table through the
# service's own port and exits; the JVM then writes the classes it loaded and linked and the method profiles of
# those loads to the cache, so a later start begins with the request path loaded, linked and profiled.
#
#   train-aot-cache.sh CACHE
#
# JAVA: the java to run (default: java on the PATH; it must be the JVM that will use the cache).
# TRAINING_DATABASE_URL, TRAINING_DATABASE_USERNAME, TRAINING_DATABASE_PASSWORD: a database in which the run may
#   create, load and drop the table public.bulkload_aot_training. Unset: a throw-away PostgreSQL cluster is made
#   with the newest /usr/lib/postgresql/*/bin/initdb in a temporary directory, run as user postgres on
#   localhost:${TRAINING_DATABASE_PORT:-54329}, and removed afterwards (the image build installs Debian's
#   postgresql package for this in its training stage only).
# TRAINING_ROUNDS: how many rounds of small loads (default 40, about 1,700 loads).
set -eu
cache=$1
java=${JAVA:-java}

if [ -z "${TRAINING_DATABASE_URL:-}" ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  port=${TRAINING_DATABASE_PORT:-54329}
  work=$(mktemp -d)
  chown postgres "$work"
  stop() {
    su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$work/db' -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$work"
  }
  trap stop EXIT
  su postgres -s /bin/sh -c "'$bin/initdb' -D '$work/db' -A trust -U postgres -E UTF8 --locale=C >/dev/null \
    && '$bin/pg_ctl' -D '$work/db' -w -l '$work/log' \
       -o \"-p $port -k '$work' -c listen_addresses=localhost\" start >/dev/null"
  TRAINING_DATABASE_URL="jdbc:postgresql://localhost:$port/postgres"
  TRAINING_DATABASE_USERNAME=postgres
  TRAINING_DATABASE_PASSWORD=
fi

# security on, as in production: a key made for this run only, its SHA-256 configured with the grant public.*
key=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
sha=$(printf %s "$key" | sha256sum | cut -d' ' -f1)
"$java" -XX:AOTCacheOutput="$cache" -jar application.jar \
  --server.port=0 --management.server.port=0 \
  --spring.datasource.url="$TRAINING_DATABASE_URL" \
  --spring.datasource.username="${TRAINING_DATABASE_USERNAME:-}" \
  --spring.datasource.password="${TRAINING_DATABASE_PASSWORD:-}" \
  "--bulkload.security.api-keys[0].name=aot-training" \
  "--bulkload.security.api-keys[0].sha256=$sha" \
  "--bulkload.security.api-keys[0].tables[0]=public.*" \
  --bulkload.training.enabled=true \
  --bulkload.training.rounds="${TRAINING_ROUNDS:-40}" \
  --bulkload.training.api-key="$key"
# the JVM writes the cache after the training run has exited 0; without it the image must not build
test -s "$cache"
echo "AOT cache trained: $cache"
