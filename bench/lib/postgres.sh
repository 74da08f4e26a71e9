# Sourced by the benchmarks: a PostgreSQL server of their own, never the machine's.
#   bench_postgres_start DIR   starts a private PostgreSQL (the demo kit's embedded server, data under DIR), or uses
#                              the server of SWITCHBOARD_DATABASE_URL; exports PGHOST PGPORT PGUSER PGPASSWORD
#                              (psql and the helpers below use them)
#   bench_postgres_stop        stops the private server (call it from the script's cleanup trap)
#   bench_db_create NAME / bench_db_drop NAME, bench_r2dbc_url NAME, bench_jdbc_url NAME
BENCH_PG_PID=""
bench_postgres_start() {
  local dir=${1:?data folder} jar=demo/target/switchboard-demo.jar
  if [ -n "${SWITCHBOARD_DATABASE_URL:-}" ]; then
    local rest=${SWITCHBOARD_DATABASE_URL#*://}; local auth=${rest%%@*}; local hostpart=${rest#*@}
    [ "$auth" = "$rest" ] && auth=postgres && hostpart=$rest
    export PGUSER=${auth%%:*} PGPASSWORD=""; [[ $auth == *:* ]] && PGPASSWORD=${auth#*:}
    hostpart=${hostpart%%/*}; export PGHOST=${hostpart%%:*} PGPORT=5432; [[ $hostpart == *:* ]] && PGPORT=${hostpart#*:}
    echo "[postgres] using the server of SWITCHBOARD_DATABASE_URL ($PGHOST:$PGPORT)"
    return 0
  fi
  [ -f "$jar" ] || mvn -B -q -ntp -DskipTests package -pl demo -am
  mkdir -p "$dir"; rm -f "$dir/server"
  java -Xmx192m -jar "$jar" postgres --data-dir "$dir/data" --server-file "$dir/server" >"$dir/postgres.log" 2>&1 &
  BENCH_PG_PID=$!
  for _ in $(seq 1 120); do [ -f "$dir/server" ] && break; sleep 0.5; done
  [ -f "$dir/server" ] || { cat "$dir/postgres.log" >&2; echo "[postgres] the private PostgreSQL did not start" >&2; return 1; }
  export PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGPASSWORD=""
  PGPORT=$(sed -n 's/^port=//p' "$dir/server")
  echo "[postgres] private PostgreSQL on $PGHOST:$PGPORT (data $dir/data)"
}
bench_postgres_stop() {
  [ -n "$BENCH_PG_PID" ] || return 0
  kill "$BENCH_PG_PID" 2>/dev/null || true
  wait "$BENCH_PG_PID" 2>/dev/null || true
  BENCH_PG_PID=""
}
bench_db_create() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; }
bench_db_drop() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 || true; }
bench_r2dbc_url() { echo "r2dbc:postgresql://$PGHOST:$PGPORT/$1"; }
bench_jdbc_url() { echo "jdbc:postgresql://$PGHOST:$PGPORT/$1"; }
