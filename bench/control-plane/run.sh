#!/usr/bin/env bash
# Control-plane start, idle footprint and stop: plain `java -jar` (the anchor) against the product's start path,
# bin/lib/control-plane-launch.sh (Spring AOT + a class archive made by a training run on the first start), on the
# default JDK and, when installed, on JDK 25 (AOT cache). JVM options: control-plane/jvm-options in every mode.
# Usage: bench/control-plane/run.sh   (from anywhere; needs java, psql, curl)
#   RUNS=5     starts per mode, modes alternated within each round
#   IDLE=10    seconds idle before RSS is read and the process is stopped
#   JDK25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java   ("" skips the JDK 25 mode)
# A private PostgreSQL (the demo's embedded binaries, data under target/) holds the database; the class archives go
# to a cache under target/ (XDG_CACHE_HOME), so each run trains afresh. The first start runs the migrations on an
# empty database and is reported apart, as is each mode's first start (training run included). "start" is from
# exec to the readiness probe answering UP (database up, flag changes heard; polled every 20 ms), "first API" to
# the first 200 of GET /api/client/features after that; "stop" is from SIGTERM to the process exit. ~6 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${RUNS:-5}; IDLE=${IDLE:-10}
WORK=$ROOT/target/bench-control-plane
JAR=control-plane/target/control-plane.jar
log() { echo "[control-plane] $*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
[ -f "$JAR" ] && [ -f demo/target/switchboard-demo.jar ] || mvn -B -q -pl control-plane,demo -am -DskipTests package
rm -rf "$WORK"; mkdir -p "$WORK"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
java -Xmx192m -jar demo/target/switchboard-demo.jar postgres --data-dir "$WORK/postgres" --server-file "$WORK/postgres.server" \
  > "$WORK/postgres.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do [ -f "$WORK/postgres.server" ] && break; sleep 0.5; done
[ -f "$WORK/postgres.server" ] || { tail "$WORK/postgres.log"; exit 1; }
PG_HOST=$(sed -n 's/^host=//p' "$WORK/postgres.server"); PG_PORT=$(sed -n 's/^port=//p' "$WORK/postgres.server")
PG_USER=$(sed -n 's/^user=//p' "$WORK/postgres.server"); PG_PASSWORD=$(sed -n 's/^password=//p' "$WORK/postgres.server")
psql -q "postgresql://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/postgres" -c "CREATE DATABASE switchboard_bench" >/dev/null
export SPRING_R2DBC_URL=r2dbc:postgresql://$PG_HOST:$PG_PORT/switchboard_bench SPRING_R2DBC_USERNAME=$PG_USER \
  SPRING_R2DBC_PASSWORD=$PG_PASSWORD SPRING_FLYWAY_URL=jdbc:postgresql://$PG_HOST:$PG_PORT/switchboard_bench \
  SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN=bench-admin SWITCHBOARD_CLIENT_TOKEN=bench-client
read -r -a OPTS <<< "$(grep -v '^#' control-plane/jvm-options | tr '\n' ' ')"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# one start: prints "start_ms first_api_ms rss_mb stop_ms spring_s"
cycle() { # label command...
  local label=$1; shift
  local port; port=$(free_port)
  local t0; t0=$(now_ms)
  SERVER_PORT=$port "$@" > "$WORK/$label.log" 2>&1 &
  local pid=$!; PIDS+=($pid)
  until curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness"; do
    kill -0 "$pid" 2>/dev/null || { tail -30 "$WORK/$label.log" >&2; exit 1; }
    sleep 0.02
  done
  local t1; t1=$(now_ms)
  curl -sf -o /dev/null -H "Authorization: $SWITCHBOARD_CLIENT_TOKEN" "http://127.0.0.1:$port/api/client/features"
  local t1b; t1b=$(now_ms)
  sleep "$IDLE"
  local rss; rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
  local t2; t2=$(now_ms)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  local t3; t3=$(now_ms)
  local spring; spring=$(grep -o 'Started ControlPlaneApplication in [0-9.]* seconds' "$WORK/$label.log" | awk '{print $4}')
  echo "$((t1 - t0)) $((t1b - t0)) $rss $((t3 - t2)) ${spring:-?}"
}
report() { # label results...
  python3 - "$@" <<'PY'
import sys, statistics
label, rows = sys.argv[1], [list(map(float, r.replace('?', 'nan').split())) for r in sys.argv[2:]]
col = lambda i: [r[i] for r in rows]
fmt = lambda i: "%s (p50 %.0f, max %.0f)" % ("/".join("%.0f" % v for v in col(i)), statistics.median(col(i)), max(col(i)))
print("[control-plane] %-24s start ms %s; first API ms %s; idle RSS MB %s; stop ms %s" % (label, fmt(0), fmt(1), fmt(2), fmt(3)))
PY
}

echo "[control-plane] machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr); default $(java -version 2>&1 | head -1); options: ${OPTS[*]}; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "[control-plane] columns: start ms (exec to readiness UP), first API ms, idle RSS MB, stop ms, Spring's own start s"
first=$(cycle first java "${OPTS[@]}" -jar "$JAR")
log "first start (empty database, migrations run), java -jar: $first"

export SWITCHBOARD_FAST_START_CACHE=$WORK/cache
LAUNCH=bin/lib/control-plane-launch.sh
modes=(plain fast17)
JDK25=${JDK25-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ -n "$JDK25" ] && [ -x "$JDK25" ] && modes+=(fast25)
run_mode() { # mode label
  case $1 in
    plain) cycle "$2" java "${OPTS[@]}" -jar "$JAR" ;;
    fast17) cycle "$2" "$LAUNCH" ;;
    fast25) JAVA=$JDK25 cycle "$2" "$LAUNCH" ;;
  esac
}
for m in "${modes[@]:1}"; do
  t0=$(now_ms)
  r=$(run_mode "$m" "$m-first")
  log "$m: first start of the build (training run + start): $(( $(now_ms) - t0 )) ms to stopped; $r; $(grep -h 'class archive made' "$WORK/$m-first.log" | sed 's/^\[control-plane\] //')"
done
du -sh "$SWITCHBOARD_FAST_START_CACHE"/control-plane-*/app.* 2>/dev/null | sed 's/^/[control-plane] archive /' || true

declare -A results
for i in $(seq 1 "$RUNS"); do
  line="round $i:"
  for m in "${modes[@]}"; do
    r=$(run_mode "$m" "$m-$i")
    results[$m]+="$r"$'\n'
    line+=" $m $r |"
  done
  log "$line"
done
for m in "${modes[@]}"; do
  mapfile -t rows < <(printf '%s' "${results[$m]}")
  case $m in
    plain) label="java -jar (JDK 17)" ;; fast17) label="launch, JDK 17 AppCDS" ;; fast25) label="launch, JDK 25 AOT cache" ;;
  esac
  report "$label" "${rows[@]}"
done
echo "[control-plane] load after: $(cut -d' ' -f1-3 /proc/loadavg)"
