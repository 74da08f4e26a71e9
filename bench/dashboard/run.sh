#!/usr/bin/env bash
# Render benchmark of the dashboard overview: 10,000 tenants and 7 days of 10-second windows for v1 and v2 in
# the guard's tables, demo profile, form login, then ApacheBench after warm-up.
# Usage: bench/dashboard/run.sh   (after: mvn -B -q -pl control-plane -am package -DskipTests)
# Env: STAGE_AGE (e.g. '7 days': time the flag has spent in its stage), ROUTERS, TENANTS_PER_WINDOW,
#      SWITCHBOARD_DATABASE_URL (default: a private PostgreSQL, bench/lib/postgres.sh), PORT (default 18480),
#      N (requests), C (concurrency). Needs psql and ab (apache2-utils).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib/postgres.sh
PORT=${PORT:-18480}; N=${N:-2000}; C=${C:-4}; DB=${DB:-switchboard_dash_bench}
BASE="http://127.0.0.1:$PORT"; TOKEN=bench-admin-token; FLAG=voice_agent_v2
OUT=target/bench-dashboard; mkdir -p "$OUT"

bench_postgres_start "$OUT/postgres"
bench_db_create "$DB"
SERVER_PORT=$PORT SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN=$TOKEN SWITCHBOARD_LOG_FORMAT= \
SPRING_R2DBC_URL="r2dbc:postgresql://$PGHOST:$PGPORT/$DB" SPRING_FLYWAY_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
  java -Xmx512m -jar control-plane/target/control-plane.jar --spring.profiles.active=demo \
  --logging.level.switchboard.access=WARN > "$OUT/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true; bench_db_drop "$DB"; bench_postgres_stop' EXIT
for _ in $(seq 480); do curl -fs "$BASE/actuator/health/readiness" >/dev/null && break; sleep 0.5; done

psql -q -d "$DB" -c "INSERT INTO tenants (id, display_name, tier, monthly_calls)
  SELECT 'tenant-' || lpad(g::text, 5, '0'), 'Tenant ' || g, 'standard', g % 5000 FROM generate_series(1, 10000) g"
curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\":\"$FLAG\",\"description\":\"bench\"}" "$BASE/api/v1/flags" >/dev/null
curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"reason":"bench"}' \
  "$BASE/api/v1/flags/$FLAG/enable" >/dev/null
curl -fs -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"percentage":25,"reason":"bench"}' "$BASE/api/v1/flags/$FLAG/percentage" >/dev/null

# The guard only notifies about the bench flag (the numbers are healthy anyway; nothing may roll it back mid-run).
curl -fs -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"policy":"notify-only","reason":"benchmark: healthy numbers, nothing may roll it back mid-run"}' "$BASE/api/v1/flags/$FLAG/guard" >/dev/null

# 7 days of 10-second windows (60,480 per variant) written straight into the guard's tables (V25), as the metric
# intake would have left them: the flag-wide table from ROUTERS routers x {v1, v2}, the per-tenant table with
# TENANTS_PER_WINDOW tenants per window and variant (each tenant's share of the same traffic).
ROUTERS=${ROUTERS:-2}; TENANTS_PER_WINDOW=${TENANTS_PER_WINDOW:-5}
# latency histogram: 30% in (300,400], 60% in (400,500], 10% in (500,650] ms -> p95 about 575 ms
HIST="ARRAY[0,0,0,0,0,0,0,0,0,(x.req*3/10),(x.req*6/10),(x.req - x.req*3/10 - x.req*6/10),0,0,0,0,0,0,0,0,0,0,0,0]::bigint[]"
REV=$(curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/flags/$FLAG" | jq -r .revision)
T0=$(date +%s)
psql -q -d "$DB" <<SQL
INSERT INTO router_metric_flag_windows (flag_name, window_start, variant, router_id, window_seconds, requests, errors,
    calls, failed_calls, circuit_breaker_opens, failovers, latency_sum_ms, latency_counts)
SELECT '$FLAG', x.ts, x.variant, x.router, 10, x.req, (x.req * (0.004 + random() * 0.006))::bigint, x.req / 4,
       (x.req / 4 * random() * 0.02)::bigint, 0, (random() < 0.01)::int, x.req * 440.0, $HIST
FROM (SELECT ts, v.variant, 'router-' || r AS router, CASE v.variant WHEN 'v1' THEN 750 ELSE 250 END AS req
      FROM generate_series(date_trunc('minute', now()) - interval '7 days', now() - interval '10 seconds',
                           interval '10 seconds') ts
      CROSS JOIN (VALUES ('v1'), ('v2')) v(variant) CROSS JOIN generate_series(1, $ROUTERS) r) x;
INSERT INTO router_metric_windows (flag_name, window_start, tenant_id, variant, router_id, window_seconds, requests,
    errors, calls, failed_calls, circuit_breaker_opens, failovers, latency_sum_ms, latency_counts)
SELECT '$FLAG', x.ts, x.tenant, x.variant, 'router-1', 10, x.req, (x.req * random() * 0.01)::bigint, x.req / 4, 0, 0, 0,
       x.req * 440.0, $HIST
FROM (SELECT ts, v.variant,
             'tenant-' || lpad((1 + (extract(epoch FROM ts)::bigint / 10 * $TENANTS_PER_WINDOW + k) % 10000)::text, 5, '0') AS tenant,
             CASE v.variant WHEN 'v1' THEN 150 ELSE 50 END AS req
      FROM generate_series(date_trunc('minute', now()) - interval '7 days', now() - interval '10 seconds',
                           interval '10 seconds') ts
      CROSS JOIN (VALUES ('v1'), ('v2')) v(variant) CROSS JOIN generate_series(1, $TENANTS_PER_WINDOW) k) x;
INSERT INTO routers (router_id, version, last_seen, flag_revisions)
SELECT 'router-' || r, '0.1.0', now(), jsonb_build_object('$FLAG', $REV) FROM generate_series(1, $ROUTERS) r
ON CONFLICT (router_id) DO NOTHING;
ANALYZE router_metric_flag_windows; ANALYZE router_metric_windows;
SQL
# STAGE_AGE: how long the flag has been in its stage (the plan's go criteria read the whole stage, up to 7 days)
if [ -n "${STAGE_AGE:-}" ]; then
  psql -q -d "$DB" -c "UPDATE guard_flags SET stage_percentage = 25, stage_entered_at = now() - interval '$STAGE_AGE'
    WHERE flag_name = '$FLAG'"
fi
echo "metric windows: $(psql -tA -d "$DB" -c "SELECT count(*) FROM router_metric_flag_windows") flag-wide rows," \
  "$(psql -tA -d "$DB" -c "SELECT count(*) FROM router_metric_windows") tenant rows, inserted in $(( $(date +%s) - T0 )) s"

# log in as the demo operator: session cookie + CSRF token from the login page
JAR="$OUT/cookies"; rm -f "$JAR"
CSRF=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "username=operator" --data-urlencode "password=operator-demo" \
  --data-urlencode "_csrf=$CSRF" "$BASE/login"
SESSION=$(awk '$6=="SESSION"{print $7}' "$JAR")
curl -fs -b "SESSION=$SESSION" "$BASE/dashboard/flags/$FLAG" > "$OUT/overview.html"
grep -q 'data-test="card-v2"' "$OUT/overview.html"
grep -q '<polyline class="v2"' "$OUT/overview.html" || { echo "no v2 chart on the page: metrics not read" >&2; exit 1; }
echo "load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)"

for path in "/dashboard/flags/$FLAG" "/dashboard/flags/$FLAG/panels"; do
  ab -q -n 500 -c "$C" -C "SESSION=$SESSION" "$BASE$path" >/dev/null            # warm-up
  ab -q -n "$N" -c "$C" -C "SESSION=$SESSION" "$BASE$path" > "$OUT/ab$(echo "$path" | tr / _).txt"
  echo "== $path (n=$N, c=$C)"; grep -E "Failed requests|Non-2xx|Requests per second|  50%|  95%|  99%" "$OUT/ab$(echo "$path" | tr / _).txt"
done
