#!/usr/bin/env bash
# Switchboard's benchmark: builds what is missing, starts the packaged service (one replica, or two
# through a redis-server of its own), drives it with bench/'s load driver, stops what it started by
# pid, prints a table and writes JSON. Bounded in time and count. See docs/benchmarks.md.
#
#   bench/run.sh                 the full run (about 5 minutes): push, connect, fanout, ack on one
#                                replica, then push and MCP waits (1,000 agents) across two replicas
#   bench/run.sh --smoke         a small run of every scenario, two replicas (well under a minute)
#   bench/run.sh --replicas 1|2 [driver options]   one phase with the driver options given, e.g.
#       bench/run.sh --replicas 1 --scenarios push --push-agents 5000 --push-rate 1000 --push-seconds 10
#
# Environment (optional): SERVICE_JAR (another packaged service to measure, e.g. an older build's
# quarkus-run.jar; default target/quarkus-app/quarkus-run.jar, packaged when missing),
# SERVICE_CPUS=0 DRIVER_CPUS=1 (taskset lists; empty = unpinned),
# SERVICE_JAVA_OPTS="-Xmx1g -XX:TieredStopAtLevel=1" (C1 only, as the JVM image runs it; drop the
# option to measure the default JIT), DRIVER_JAVA_OPTS="-Xmx1g", RESULTS_DIR=bench/results, PG_HOST=127.0.0.1,
# PG_PORT=5432, PG_USER=postgres, READY_TIMEOUT_S=90, BENCH_KEEP_LOGS=1 (keep the services' logs).
# Needs: java 17, psql (PostgreSQL reachable), redis-server for two replicas, curl.
set -uo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
SERVICE_CPUS="${SERVICE_CPUS-0}"
DRIVER_CPUS="${DRIVER_CPUS-1}"
SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xmx1g -XX:TieredStopAtLevel=1}"
DRIVER_JAVA_OPTS="${DRIVER_JAVA_OPTS:--Xmx1g}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
PG_HOST="${PG_HOST:-127.0.0.1}" PG_PORT="${PG_PORT:-5432}" PG_USER="${PG_USER:-postgres}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-90}"
ISSUER=https://switchboard.bench
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-bench.XXXXXX")"
PIDS=()
REDIS_PID=""
DB_NAME=""

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "$*"; exit 4; }
alive() { kill -0 "$1" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"; }
pin() { # cpus: prints the taskset prefix for them, nothing when unpinned or taskset is missing
  if [ -n "$1" ] && command -v taskset >/dev/null && taskset -c "$1" true 2>/dev/null; then echo "taskset -c $1"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
  echo $((20000 + RANDOM % 20000)); }
psql_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }

stop_one() { # pid: waits up to 15 s for it to end after SIGTERM, then SIGKILL
  local pid=$1
  for _ in $(seq 1 75); do alive "$pid" || break; sleep 0.2; done
  if alive "$pid"; then say "pid $pid still running 15 s after SIGTERM: SIGKILL"; kill -KILL "$pid" 2>/dev/null; fi
  wait "$pid" 2>/dev/null
}
stop_all() {
  local pid
  # The replicas first, all at once; the redis-server of the run last, so that none of them loses
  # Redis while it shuts down.
  for pid in "${PIDS[@]}"; do
    [ "$pid" != "$REDIS_PID" ] && alive "$pid" && kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do
    [ "$pid" = "$REDIS_PID" ] && continue
    stop_one "$pid"
  done
  if [ -n "$REDIS_PID" ]; then
    alive "$REDIS_PID" && kill -TERM "$REDIS_PID" 2>/dev/null
    stop_one "$REDIS_PID"
  fi
  PIDS=()
  REDIS_PID=""
  if [ -n "$DB_NAME" ]; then
    psql_admin "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null 2>&1 || say "could not drop database $DB_NAME"
    DB_NAME=""
  fi
}
cleanup() {
  stop_all
  if [ "${BENCH_KEEP_LOGS:-0}" = 1 ]; then say "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'say interrupted; exit 130' INT TERM HUP

# ---- build what is missing ------------------------------------------------------------------------
APP="${SERVICE_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}"
DRIVER="$BENCH_DIR/target/switchboard-bench.jar"
if [ ! -f "$APP" ] && [ -z "${SERVICE_JAR:-}" ]; then
  say "packaging the service (./mvnw -B -q package -DskipTests)"
  (cd "$ROOT" && timeout 900 ./mvnw -B -q package -DskipTests) >"$WORK/build-service.log" 2>&1 ||
    { tail -40 "$WORK/build-service.log" >&2; die "the service did not build"; }
fi
[ -f "$APP" ] || die "no packaged service at $APP"
if [ ! -f "$DRIVER" ] || [ -n "$(find "$BENCH_DIR/src" "$BENCH_DIR/pom.xml" -newer "$DRIVER" -print -quit)" ]; then
  say "building the load driver (./mvnw -f bench/pom.xml package)"
  (cd "$ROOT" && timeout 600 ./mvnw -B -q -f bench/pom.xml package -DskipTests) >"$WORK/build-driver.log" 2>&1 ||
    { tail -40 "$WORK/build-driver.log" >&2; die "the load driver did not build"; }
fi
PRIVATE_KEY="$ROOT/src/test/resources/keys/test-only-jwt-private.pem"
PUBLIC_KEY="$ROOT/src/test/resources/keys/test-only-jwt-public.pem"

# ---- one phase: start N replicas, drive them, stop them ---------------------------------------------
phase() { # name replicas driver-options...
  local name="$1" replicas="$2"; shift 2
  command -v psql >/dev/null || die "psql is needed (PostgreSQL client)"
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null || die "PostgreSQL is not answering on $PG_HOST:$PG_PORT"
  DB_NAME="bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  psql_admin "CREATE DATABASE \"$DB_NAME\"" >/dev/null || die "cannot create database $DB_NAME"
  local env_redis=() urls="" mgmt="" pids="" i port mport
  if [ "$replicas" -gt 1 ]; then
    command -v redis-server >/dev/null || die "two replicas need redis-server"
    local rport; rport="$(free_port)"
    redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 </dev/null &
    REDIS_PID=$!
    PIDS+=($!)
    for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$rport") 2>/dev/null && break; sleep 0.1; done
    env_redis=(QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$rport")
  fi
  for i in $(seq 1 "$replicas"); do
    port="$(free_port)"; mport="$(free_port)"
    # shellcheck disable=SC2086
    env QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$mport" \
      QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB_NAME" QUARKUS_DATASOURCE_USERNAME="$PG_USER" \
      "${env_redis[@]}" MP_JWT_VERIFY_PUBLICKEY_LOCATION="$PUBLIC_KEY" MP_JWT_VERIFY_ISSUER="$ISSUER" \
      QUARKUS_LOG_FILE_ENABLED=false \
      $(pin "$SERVICE_CPUS") java $SERVICE_JAVA_OPTS -jar "$APP" >"$WORK/replica-$name-$i.log" 2>&1 </dev/null &
    PIDS+=($!)
    pids="$pids${pids:+,}$!"; urls="$urls${urls:+,}http://127.0.0.1:$port"; mgmt="$mgmt${mgmt:+,}http://127.0.0.1:$mport"
  done
  local deadline=$((SECONDS + READY_TIMEOUT_S)) ready url pid
  for url in ${mgmt//,/ }; do
    until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/q/health/ready")" = 200 ]; do
      for pid in ${pids//,/ }; do alive "$pid" || { tail -n 30 "$WORK"/replica-"$name"-*.log >&2; die "a replica exited while starting"; }; done
      ((SECONDS < deadline)) || { tail -n 30 "$WORK"/replica-"$name"-*.log >&2; die "not ready within $READY_TIMEOUT_S s"; }
      sleep 0.3
    done
  done
  say "$name: $replicas replica(s) ready (pids $pids, $urls), database $DB_NAME"
  mkdir -p "$RESULTS_DIR"
  local out="$RESULTS_DIR/$STAMP-$name.json" rc
  # shellcheck disable=SC2086
  timeout -k 10 "${BENCH_TIMEOUT_S:-900}" $(pin "$DRIVER_CPUS") java $DRIVER_JAVA_OPTS -jar "$DRIVER" \
    --replicas "$urls" --metrics "$mgmt" --pids "$pids" --private-key "$PRIVATE_KEY" --issuer "$ISSUER" \
    --out "$out" --label "$name" --deadline-s "$((${BENCH_TIMEOUT_S:-900} - 15))" "$@"
  rc=$?
  local failures
  failures="$(cat "$WORK"/replica-"$name"-*.log | grep -c 'Publishing to Redis failed' || true)"
  [ "$failures" = 0 ] || { say "$name: $failures backplane publish failures in the log"; rc=1; }
  for pid in ${pids//,/ }; do alive "$pid" || { say "$name: replica pid $pid died during the run"; rc=1; }; done
  stop_all
  say "$name: driver exit $rc, JSON $out"
  return "$rc"
}

status=0
if [ "${1:-}" = --smoke ]; then
  shift
  DRIVER_CPUS="${DRIVER_CPUS_SMOKE-}" SERVICE_CPUS="${SERVICE_CPUS_SMOKE-}"
  BENCH_TIMEOUT_S=120 phase smoke 2 --scenarios push,connect,fanout,ack,mcp --push-agents 50 --push-rate 50 --push-seconds 2 --push-warm-up-s 1 \
    --connect-count 200 --connect-hold-s 1 --fanout-members 20 --fanout-senders 2 --fanout-rates 20 --fanout-step-s 2 \
    --ack-count 50 --mcp-agents 20 --mcp-rate 20 "$@" || status=$?
elif [ "${1:-}" = --replicas ]; then
  replicas="$2"; shift 2
  phase "custom-$replicas" "$replicas" "$@" || status=$?
else
  phase single 1 --scenarios push,connect,fanout,ack "$@" || status=$?
  phase cross 2 --scenarios push,mcp "$@" || status=$?
fi
exit "$status"
