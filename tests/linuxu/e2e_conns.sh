#!/usr/bin/env bash
# Connection pressure on the linuxu demo (tests/lib/http_conns.py): 64
# idle or stalled connections against the default limit, then a demo
# limited to 4 connections: newcomers replace silent connections at once,
# get 503 only while every slot is busy answering, and it recovers.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/linuxu/demo.sh

run() {  # NAME ARGS...: runs http_conns.py and folds in its result
  local name=$1 log="$E2E_TMP/conns.$$.log"
  shift
  /usr/bin/python3 tests/lib/http_conns.py 127.0.0.1 "$DEMO_PORT" "$@" \
    >"$log" 2>&1
  sed '$d' "$log"
  absorb "$log" "$name"
  rm -f "$log"
}

stopped() {
  stop_demo
  local rc=$?
  if [ $rc = 0 ]; then pass "demo stops with status 0"
  else fail "demo stops with status 0" "status $rc"; tail -n 20 "$DEMO_LOG"; fi
}

if start_demo; then
  pass "demo starts on port $DEMO_PORT (default limits)"
  run idle idle 64
  at_least "idle connections were evicted" \
    ukprom_evicted_connections_total 1
  stopped
else
  fail "demo starts"
fi

if start_demo --max-conns 4; then
  pass "demo starts on port $DEMO_PORT with --max-conns 4"
  run overflow overflow 4
  at_least "503s counted" ukprom_rejected_connections_total 6
  at_least "silent and idle connections were evicted" \
    ukprom_evicted_connections_total 6
  stopped
else
  fail "demo starts with --max-conns 4"
fi
finish
