# Sourced by the benchmarks that put nginx in front of a backend as the plain-proxy anchor. Never installs or starts
# the machine's nginx service: it runs the nginx binary from PATH, else the Debian package unpacked into target/.
#   bench_nginx_start DIR LISTEN_PORT UPSTREAM_PORT   a plain reverse proxy (upstream keep-alive, no access log),
#                                                     its files under DIR; sets NGINX (the binary); NGINX_ON (an
#                                                     array, e.g. taskset -c 1) is put before the command when set
#   bench_nginx_stop DIR                              stops it (call it from the script's cleanup trap)
bench_nginx_find() {
  NGINX=$(command -v nginx || true)
  if [ -z "$NGINX" ]; then
    NGINX=target/bench-router/nginx/usr/sbin/nginx
    if [ ! -x "$NGINX" ]; then
      mkdir -p target/bench-router && (cd target/bench-router && apt-get download nginx >/dev/null 2>&1 && dpkg -x nginx_*.deb nginx)
    fi
  fi
}
bench_nginx_start() { # DIR LISTEN_PORT UPSTREAM_PORT
  local dir=$1
  bench_nginx_find
  mkdir -p "$dir/tmp" "$dir/logs"
  cat > "$dir/nginx.conf" <<NGINX
daemon on;
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  upstream backend { server 127.0.0.1:$3; keepalive 64; }
  server {
    listen 127.0.0.1:$2;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
  ${NGINX_ON[@]+"${NGINX_ON[@]}"} "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log"
}
bench_nginx_stop() { # DIR
  [ -f "$1/nginx.pid" ] && kill "$(cat "$1/nginx.pid")" 2>/dev/null || true
}
