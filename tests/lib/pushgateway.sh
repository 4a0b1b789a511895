# Starts Debian's Prometheus Pushgateway for the push tests (sourced, not
# run; needs tests/lib/ports.sh's free_port).
#
#   pg_start DIR   starts prometheus-pushgateway on a free loopback port,
#                  without persistence, logging to DIR/pushgateway.log;
#                  sets PG_PID, PG_PORT and PG_URL (http://127.0.0.1:PORT).
#                  Returns 0 once it answers /-/ready, 1 if it died or did
#                  not within 10 s (the caller stops it by PG_PID either
#                  way).
#   pg_stop        stops it (SIGTERM, by PID).
#   pg_value SERIES  prints the value of SERIES, written as the
#                  Pushgateway writes it (labels sorted:
#                  'x_total{instance="i",job="j"}'), from its /metrics,
#                  or nothing.
#   pg_wait SERIES MIN SECONDS  waits until SERIES >= MIN; returns 0, or
#                  1 at the end of SECONDS.
PG_PID=
PG_PORT=
PG_URL=

pg_start() {
  local dir=$1 i
  mkdir -p "$dir"
  PG_PORT=$(free_port)
  PG_URL="http://127.0.0.1:$PG_PORT"
  # An empty persistence file keeps it in memory (Debian's default
  # writes under /var/lib).
  prometheus-pushgateway --web.listen-address="127.0.0.1:$PG_PORT" \
    --persistence.file= --log.level=warn >"$dir/pushgateway.log" 2>&1 &
  PG_PID=$!
  for i in $(seq 100); do
    curl -sf --max-time 1 "$PG_URL/-/ready" >/dev/null && return 0
    kill -0 "$PG_PID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

pg_stop() {
  [ -n "$PG_PID" ] || return 0
  kill -TERM "$PG_PID" 2>/dev/null
  wait "$PG_PID" 2>/dev/null
  PG_PID=
}

pg_value() {
  # awk reads to the end: a reader that leaves early makes the
  # Pushgateway log a broken pipe as an error.
  curl -s --max-time 5 "$PG_URL/metrics" |
    awk -v s="$1" '$1 == s && !done { print $2; done = 1 }'
}

pg_wait() {
  local v i
  for i in $(seq $(($3 * 10))); do
    v=$(pg_value "$1")
    if [ -n "$v" ] && awk -v v="$v" -v m="$2" 'BEGIN { exit !(v >= m) }'
    then
      return 0
    fi
    sleep 0.1
  done
  return 1
}
