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
# The exporter counted what it refused (13 cases are 400s).
at_least "400s counted" 'ukprom_http_errors_total{code="400"}' 13
at_least "404s counted" 'ukprom_http_errors_total{code="404"}' 2
at_least "405s counted" 'ukprom_http_errors_total{code="405"}' 2
at_least "414 counted" 'ukprom_http_errors_total{code="414"}' 1
at_least "431 counted" 'ukprom_http_errors_total{code="431"}' 1
stop_demo
rc=$?
if [ $rc = 0 ]; then pass "demo stops with status 0"
else fail "demo stops with status 0" "status $rc"; tail -n 20 "$DEMO_LOG"; fi
finish
