#!/usr/bin/env bash
# Starts the control plane on its fast path: the way bin/control-plane, bin/demo and the benchmarks run it.
#
#   bin/lib/control-plane-launch.sh [extra JVM options...] [-- application arguments...]
#
# JVM options: control-plane/jvm-options, then the extra ones given here (a later -Xmx wins).
# Fast path (docs/benchmarks-control-plane.md):
#  - Spring AOT: the bean definitions were generated at build time (spring-boot-maven-plugin process-aot), so
#    -Dspring.aot.enabled=true skips the configuration-class parsing and condition evaluation at every start.
#    The bean set is therefore fixed by the build: properties are still read at start, but a property that would
#    switch a Spring Boot auto-configuration on or off at deploy time needs SWITCHBOARD_FAST_START=off;
#  - the jar extracted (classes in plain jars, which a class archive can hold) and a class archive of what a
#    real start loads: on JDK 25+ an AOT cache (-XX:AOTCache: classes loaded and linked, method profiles), on
#    JDK 17-24 a dynamic AppCDS archive (-XX:SharedArchiveFile). Both are made by one training run on the first
#    start of a jar build with a given JDK and options (about 20 s, against the configured database: it starts
#    the application on a free port, waits for readiness, makes a few requests and stops it), and kept in
#    ${SWITCHBOARD_FAST_START_CACHE:-<the jar's directory>/fast-start}/control-plane-<key>; later starts map it. A stale or unreadable
#    archive is ignored by the JVM (the start is then only slower); a failed training leaves none and the next
#    start tries again.
# Environment: JAVA (java binary; else $JAVA_HOME/bin/java, else java on PATH), CONTROL_PLANE_JAR (another jar),
#   SWITCHBOARD_FAST_START=off (plain `java -jar`, no AOT, no archive), SWITCHBOARD_FAST_START_CACHE.
# The last step execs the JVM, so the caller's pid is the control plane's.
set -euo pipefail

self=$(readlink -f "${BASH_SOURCE[0]}")
root=${self%/*/*/*}
jar=${CONTROL_PLANE_JAR:-$root/control-plane/target/control-plane.jar}
java=${JAVA:-java}
if [ -z "${JAVA:-}" ] && [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java; fi
[ -f "$jar" ] || { echo "control plane: $jar not found; build it with: mvn -B -pl control-plane -am -DskipTests package" >&2; exit 2; }

opts=()
while read -r line; do
  case $line in '#'* | '') continue ;; esac
  read -r -a words <<<"$line"
  opts+=("${words[@]}")
done <"$root/control-plane/jvm-options"
while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
[ "${1:-}" != -- ] || shift
args=("$@")

log() { echo "[control-plane] $*" >&2; }

if [ "${SWITCHBOARD_FAST_START:-on}" = off ]; then
  exec "$java" "${opts[@]}" -jar "$jar" "${args[@]}"
fi

javapath=$(readlink -f "$(command -v "$java")")
# the JDK's feature version from its release file (no JVM start for it); 17 when unknown, the safe choice
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${javapath%/bin/java}/release" 2>/dev/null || true)
feature=${feature:-17}
if [ "$feature" -ge 25 ]; then
  kind=aot; use=-XX:AOTCache=; make=-XX:AOTCacheOutput=
  opts+=(--enable-native-access=ALL-UNNAMED)   # Netty loads its native transport; JDK 24+ warns otherwise
else
  kind=jsa; use=-XX:SharedArchiveFile=; make=-XX:ArchiveClassesAtExit=
fi
opts+=(-Dspring.aot.enabled=true)

# key: the jar build, the JDK binary and the options (an archive is only valid for the ones it was made with)
key=$( { stat -L -c '%s-%Y-%d-%i' "$jar" "$javapath"; printf '%s\n' "${opts[@]}"; } | cksum | cut -d' ' -f1)
# next to the jar (control-plane/target/ in a checkout: `mvn clean` removes it), nothing in the home directory
cache=${SWITCHBOARD_FAST_START_CACHE:-$(dirname "$(readlink -f "$jar")")/fast-start}
dir=$cache/control-plane-$key
archive=$dir/app.$kind
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
  log "no writable cache directory ($cache): starting without the class archive"
  exec "$java" "${opts[@]}" -jar "$jar" "${args[@]}"
fi

if [ ! -f "$dir/app/control-plane.jar" ]; then
  # caches of other builds nobody started for a week go (a running control plane touches its own at start)
  find "$cache" -maxdepth 1 -name 'control-plane-*' -mtime +7 -exec rm -rf {} + 2>/dev/null || true
  tmp=$dir.tmp.$$
  rm -rf "$tmp"; mkdir -p "$tmp"
  "$java" -Djarmode=tools -jar "$jar" extract --destination "$tmp/app" >/dev/null
  mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"   # another start got there first: use its copy
fi
touch "$dir"
app=$dir/app/control-plane.jar

if [ ! -s "$archive" ]; then
  log "first start of this build on this JDK: a training run makes the class archive (once; log $dir/training.log)"
  tmp=$archive.tmp.$$
  t0=$SECONDS
  # the training run: the same JVM options and arguments, a free port; its class list is what a start and the
  # first requests load. Stopped by SIGTERM after a few requests (the archive is written at exit); without curl
  # it stops itself right after the context refresh.
  if command -v curl >/dev/null 2>&1; then
    "$java" "${opts[@]}" "$make$tmp" -jar "$app" "${args[@]}" --server.port=0 >"$dir/training.log" 2>&1 </dev/null &
    pid=$!
    # stopped while training: the training run goes too, and leaves no half-written archive
    trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$tmp"; exit 143' TERM INT HUP
    port=
    for _ in $(seq 1 1800); do   # up to 3 minutes on a loaded machine
      kill -0 "$pid" 2>/dev/null || break
      port=${port:-$(grep -o 'Netty started on port [0-9]*' "$dir/training.log" 2>/dev/null | head -1 | grep -o '[0-9]*$' || true)}
      if [ -n "$port" ] && curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness"; then
        base=http://127.0.0.1:$port
        for path in /actuator/health/liveness /actuator/prometheus /login /api/client/features /api/v1/flags; do
          curl -s -o /dev/null "$base$path" || true
        done
        [ -z "${SWITCHBOARD_CLIENT_TOKEN:-}" ] || curl -s -o /dev/null -H "Authorization: $SWITCHBOARD_CLIENT_TOKEN" "$base/api/client/features" || true
        [ -z "${SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN:-}" ] \
          || curl -s -o /dev/null -H "Authorization: Bearer $SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN" "$base/api/v1/flags" || true
        break
      fi
      sleep 0.1
    done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    trap - TERM INT HUP
  else
    "$java" "${opts[@]}" "$make$tmp" -Dspring.context.exit=onRefresh -jar "$app" "${args[@]}" --server.port=0 \
      >"$dir/training.log" 2>&1 </dev/null || true
  fi
  if [ -s "$tmp" ]; then
    mv -f "$tmp" "$archive"
    log "class archive made in $((SECONDS - t0)) s: $archive"
  else
    rm -f "$tmp"
    log "the training run made no class archive (see $dir/training.log): starting without it"
  fi
fi
[ ! -s "$archive" ] || opts+=("$use$archive")
exec "$java" "${opts[@]}" -jar "$app" "${args[@]}"
