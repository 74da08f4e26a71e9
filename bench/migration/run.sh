#!/usr/bin/env bash
# Benchmark of the voice-agent data migration: 10,000 configs and 1,000,000 calls in a fresh database,
# then one full LIVE migration with backup and verification, timed end to end (JVM start included).
# Usage: bench/migration/run.sh            (a private PostgreSQL, bench/lib/postgres.sh; psql and bc on PATH)
# Env:   SWITCHBOARD_DATABASE_URL to use an existing server; BATCH_SIZE (default 1000); KEEP_DB=1 keeps the
#        database (on SWITCHBOARD_DATABASE_URL's server only: the private one goes when the run ends).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib/postgres.sh
WORK=$(mktemp -d /tmp/switchboard-bench-migration.XXXXXX)
DB=sb_bench_migration_$$
BATCH_SIZE=${BATCH_SIZE:-1000}
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "== building data-migration (no tests)"
# -am builds test-support too; the classpath file is written per module, data-migration's last
mvn -B -q -o -pl data-migration,demo -am package dependency:build-classpath -DskipTests -DincludeScope=runtime \
    -Dmdep.outputFile="$PWD/data-migration/target/runtime-classpath.txt"
CP="data-migration/target/classes:$(cat data-migration/target/runtime-classpath.txt)"

cleanup() { [ "${KEEP_DB:-0}" = 1 ] || bench_db_drop "$DB"; bench_postgres_stop; rm -rf "$WORK"; }
trap cleanup EXIT
bench_postgres_start "$WORK/postgres"
psql_q -d postgres -c "CREATE DATABASE $DB"
sed 's/{{business_id_type}}/uuid/' data-migration/src/main/resources/dev/switchboard/migration/schema/voice_agent_schema.sql \
  | psql_q -d "$DB"

echo "== generating 10,000 configs and 1,000,000 calls"
gen_start=$(date +%s.%N)
psql_q -d "$DB" -f bench/migration/generate.sql
gen_end=$(date +%s.%N)
printf 'generated in %.1f s\n' "$(echo "$gen_end - $gen_start" | bc)"
psql -X -At -d "$DB" -c "SELECT 'configs=' || (SELECT count(*) FROM voice_agent_config) || ' calls=' || (SELECT count(*) FROM voice_calls)"

echo "== live migration (backup + validate + configs + calls/metrics + verify), batch size $BATCH_SIZE"
start=$(date +%s.%N)
java -cp "$CP" dev.switchboard.migration.cli.MigrateCommand \
    --database-url "jdbc:postgresql://$PGHOST:$PGPORT/$DB?user=$PGUSER" --batch-size "$BATCH_SIZE" -o text
end=$(date +%s.%N)
printf 'WALL CLOCK (JVM start to exit): %.1f s\n' "$(echo "$end - $start" | bc)"

psql -X -At -d "$DB" -c "SELECT 'v2 configs=' || (SELECT count(*) FROM voice_assistant_configs)
  || ' metrics rows=' || (SELECT count(*) FROM voice_assistant_metrics)
  || ' calls with outcome=' || (SELECT count(*) FROM voice_calls WHERE outcome IS NOT NULL)
  || ' backups=' || (SELECT count(*) FROM switchboard_migration_backups)"
