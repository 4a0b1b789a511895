#!/usr/bin/env bash
# Every bad-request case on raw sockets against the linuxu demo
# (tests/lib/http_bad_requests.py), then a clean stop.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/linuxu/demo.sh

start_demo || { fail "demo starts"; finish; exit 1; }
pass "demo starts on port $DEMO_PORT"
log="$E2E_TMP/bad_requests.$$.log"
/usr/bin/python3 tests/lib/http_bad_requests.py 127.0.0.1 "$DEMO_PORT" \
  >"$log" 2>&1
sed '$d' "$log"
absorb "$log" "http_bad_requests.py"
rm -f "$log"
stop_demo
rc=$?
if [ $rc = 0 ]; then pass "demo stops with status 0"
else fail "demo stops with status 0" "status $rc"; tail -n 20 "$DEMO_LOG"; fi
finish
