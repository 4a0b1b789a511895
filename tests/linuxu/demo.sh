# Starts and stops build/linuxu/linuxu-demo for the linuxu end-to-end
# tests (sourced, not run).  start_demo ARGS... runs it on an ephemeral
# loopback port and waits for its "listening on" line, setting DEMO_PID,
# DEMO_PORT and DEMO_LOG; stop_demo [SIG] sends SIGTERM (or SIG), waits
# up to 5 s and returns the exit status (124 if it would not stop).  An
# EXIT trap kills, by PID, any demo still running, so an interrupted test
# never leaves one behind.
E2E_TMP=${E2E_TMP:-build/e2e}
export E2E_TMP
mkdir -p "$E2E_TMP"
# The ASan/UBSan build when there is one: the tests double as a sanitizer
# run of the exporter under real clients.
if [ -z "${DEMO_BIN:-}" ]; then
  DEMO_BIN=build/linuxu/linuxu-demo
  [ -x build/asan/linuxu-demo ] && DEMO_BIN=build/asan/linuxu-demo
fi
DEMO_PIDS=()

_demo_cleanup() {
  local p
  for p in "${DEMO_PIDS[@]}"; do
    kill -KILL "$p" 2>/dev/null
  done
  rm -f "$E2E_TMP"/demo.$$.*.log
}
trap _demo_cleanup EXIT
trap 'exit 1' INT TERM

start_demo() {
  local i line
  if [ ! -x "$DEMO_BIN" ]; then
    echo "missing $DEMO_BIN (make build/linuxu/linuxu-demo)" >&2
    return 1
  fi
  DEMO_LOG="$E2E_TMP/demo.$$.${#DEMO_PIDS[@]}.log"
  "$DEMO_BIN" --listen 127.0.0.1:0 "$@" >"$DEMO_LOG" 2>&1 &
  DEMO_PID=$!
  DEMO_PIDS+=("$DEMO_PID")
  DEMO_PORT=
  for i in $(seq 100); do
    line=$(grep -m 1 '^ukprom: listening on http://' "$DEMO_LOG")
    if [ -n "$line" ]; then
      DEMO_PORT=${line##*:}
      DEMO_PORT=${DEMO_PORT%%/*}
      return 0
    fi
    kill -0 "$DEMO_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "linuxu-demo did not start; its output:" >&2
  sed 's/^/     /' "$DEMO_LOG" >&2
  return 1
}

stop_demo() {
  local sig=${1:-TERM} i
  kill -"$sig" "$DEMO_PID" 2>/dev/null || return 1
  for i in $(seq 100); do
    kill -0 "$DEMO_PID" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$DEMO_PID" 2>/dev/null; then
    kill -KILL "$DEMO_PID"
    wait "$DEMO_PID" 2>/dev/null
    return 124
  fi
  wait "$DEMO_PID"
}

demo_metric() {
  curl -s --max-time 5 "http://127.0.0.1:$DEMO_PORT/metrics" |
    awk -v s="$1" '$1 == s { print $2; exit }'
}

# at_least NAME SERIES MIN: passes if the demo's SERIES is >= MIN.
at_least() {
  local v
  v=$(demo_metric "$2")
  if [ -n "$v" ] && awk -v v="$v" -v m="$3" 'BEGIN { exit !(v >= m) }'; then
    pass "$1 ($2 = $v)"
  else
    fail "$1" "$2 = '${v}', want >= $3"
  fi
}
