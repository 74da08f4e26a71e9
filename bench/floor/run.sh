#!/usr/bin/env bash
# The floor under the router's CPU per webhook: a minimal Reactor Netty proxy (MiniProxy.java, the router's own
# Reactor Netty and Netty jars) at a steady rate, its CPU read from /proc/<pid>/task/*/schedstat over 10 s, 20 s
# into 40 s of traffic (Load.java: the propagation probe's paced keep-alive client and stand-in backend).
# Usage: bench/floor/run.sh [PERIOD_US (default 1000: 1,000/s)] ["proxy JVM options" (default C1 only, as the
#        propagation bench runs its routers)]. Run it alone on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
period=${1:-1000}; opts=${2:--XX:TieredStopAtLevel=1}
[ -f agent-router/target/agent-router.jar ] || mvn -B -q -ntp -pl agent-router -am -DskipTests package
work=target/bench-floor; mkdir -p "$work"
if [ ! -d "$work/lib" ] || [ agent-router/target/agent-router.jar -nt "$work/lib" ]; then
  rm -rf "$work/lib" "$work/BOOT-INF"; (cd "$work" && unzip -q -o ../../agent-router/target/agent-router.jar 'BOOT-INF/lib/*') && mv "$work/BOOT-INF/lib" "$work/lib"
fi
cp=$(ls -d "$work"/lib/*.jar | tr '\n' ':')
javac -d "$work/classes" -cp "$cp" bench/floor/MiniProxy.java bench/floor/Load.java
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
backend_port=$(free_port); proxy_port=$(free_port)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
java -Dsun.net.httpserver.nodelay=true -cp "$work/classes" Load backend "$backend_port" & pids+=($!)
java -Xmx96m $opts -cp "$work/classes:$cp" MiniProxy "$proxy_port" "http://127.0.0.1:$backend_port/webhooks/generic" & proxy=$!; pids+=($proxy)
for _ in $(seq 1 50); do (echo > /dev/tcp/127.0.0.1/$proxy_port) 2>/dev/null && break; sleep 0.2; done
java -cp "$work/classes" Load load "$proxy_port" "$period" 40 & load=$!
runtime() { local t=0 a rest f; for f in /proc/"$proxy"/task/*/schedstat; do read -r a rest <"$f" 2>/dev/null && t=$((t + a)); done; echo "$t"; }
sleep 20; a=$(runtime); sleep 10; b=$(runtime)
wait "$load"
awk -v a="$a" -v b="$b" -v p="$period" -v o="$opts" 'BEGIN{printf "minimal Reactor Netty proxy, one request every %d us, options \"%s\": run time in 10 s %.3f s, per request %.3f ms\n", p, o, (b-a)/1e9, (b-a)/1e6/(1e7/p)}'
