#!/usr/bin/env bash
# Render benchmark of the dashboard overview: 10,000 tenants (and, when the guard's metric table exists,
# 7 days of 10-second windows for v1 and v2), demo profile, form login, then ApacheBench after warm-up.
# Usage: bench/dashboard/run.sh   (after: mvn -B -q -pl control-plane -am package -DskipTests)
# Env: PGHOST/PGPORT/PGUSER (default 127.0.0.1/5432/postgres), PORT (default 18480), N (requests), C (concurrency)
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18480}; N=${N:-2000}; C=${C:-4}; DB=${DB:-switchboard_dash_bench}
PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
BASE="http://127.0.0.1:$PORT"; TOKEN=bench-admin-token; FLAG=voice_agent_v2
OUT=target/bench-dashboard; mkdir -p "$OUT"

dropdb --if-exists "$DB"; createdb "$DB"
SERVER_PORT=$PORT SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN=$TOKEN SWITCHBOARD_LOG_FORMAT= \
SPRING_R2DBC_URL="r2dbc:postgresql://$PGHOST:$PGPORT/$DB" SPRING_FLYWAY_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
  java -Xmx512m -jar control-plane/target/control-plane.jar --spring.profiles.active=demo \
  --logging.level.switchboard.access=WARN > "$OUT/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 480); do curl -fs "$BASE/actuator/health/readiness" >/dev/null && break; sleep 0.5; done

psql -q -d "$DB" -c "INSERT INTO tenants (id, display_name, tier, monthly_calls)
  SELECT 'tenant-' || lpad(g::text, 5, '0'), 'Tenant ' || g, 'standard', g % 5000 FROM generate_series(1, 10000) g"
curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\":\"$FLAG\",\"description\":\"bench\"}" "$BASE/api/v1/flags" >/dev/null
curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"reason":"bench"}' \
  "$BASE/api/v1/flags/$FLAG/enable" >/dev/null
curl -fs -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"percentage":25,"reason":"bench"}' "$BASE/api/v1/flags/$FLAG/percentage" >/dev/null

# 7 days of 10-second windows per variant, if the guard's table is on this build (it is named by the guard).
METRICS=$(psql -tA -d "$DB" -c "SELECT to_regclass('router_metric_windows') IS NOT NULL")
if [ "$METRICS" = "t" ]; then
  echo "router_metric_windows exists: fill it with 7 days x 8640 windows x 2 variants (see docs/benchmarks-dashboard.md)"
else
  echo "NOTE: no router_metric_windows table on this build (guard not merged): measuring with tenants only"
fi

# log in as the demo operator: session cookie + CSRF token from the login page
JAR="$OUT/cookies"; rm -f "$JAR"
CSRF=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "username=operator" --data-urlencode "password=operator-demo" \
  --data-urlencode "_csrf=$CSRF" "$BASE/login"
SESSION=$(awk '$6=="SESSION"{print $7}' "$JAR")
curl -fs -b "SESSION=$SESSION" "$BASE/dashboard/flags/$FLAG" | grep -q 'data-test="card-v2"'

for path in "/dashboard/flags/$FLAG" "/dashboard/flags/$FLAG/panels"; do
  ab -q -n 500 -c "$C" -C "SESSION=$SESSION" "$BASE$path" >/dev/null            # warm-up
  ab -q -n "$N" -c "$C" -C "SESSION=$SESSION" "$BASE$path" > "$OUT/ab$(echo "$path" | tr / _).txt"
  echo "== $path (n=$N, c=$C)"; grep -E "Failed requests|Non-2xx|Requests per second|  50%|  95%|  99%" "$OUT/ab$(echo "$path" | tr / _).txt"
done
