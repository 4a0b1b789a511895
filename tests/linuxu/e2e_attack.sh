#!/usr/bin/env bash
# Connection-exhaustion attacks on the linuxu demo (tests/lib/
# http_attack.py): 16 and then 64 unfinished requests closed and reopened
# every 0.5 s, then 16 held ones trickling a byte every 0.5 s, each for
# 20 s while a scraper scrapes once a second: at least 19 of 20 scrapes
# must get 200.  Afterwards the exporter holds no attacker connection and
# counted its evictions.  ATTACK_SECONDS shortens the runs (not in
# make check).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/linuxu/demo.sh
SECS=${ATTACK_SECONDS:-20}
MIN_OK=$((SECS - 1))

start_demo || { fail "demo starts"; finish; exit 1; }
pass "demo starts on port $DEMO_PORT (default limits)"
for attack in churn:16 churn:64 trickle:16; do
  log="$E2E_TMP/attack.$$.log"
  /usr/bin/python3 tests/lib/http_attack.py 127.0.0.1 "$DEMO_PORT" \
    "$attack" --seconds "$SECS" --min-ok "$MIN_OK" >"$log" 2>&1
  sed '$d' "$log"
  absorb "$log" "http_attack.py $attack"
  rm -f "$log"
done
at_least "attackers' connections were evicted" \
  ukprom_evicted_connections_total 100
at_least "trickled heads got 408" 'ukprom_http_errors_total{code="408"}' 1
# Every attacker connection is gone a moment later (the scrape reading
# the gauge is the one left).
for _ in $(seq 30); do
  n=$(demo_metric ukprom_connections)
  [ "$n" = 1 ] && break
  sleep 0.1
done
if [ "$n" = 1 ]; then pass "no attacker connection left open"
else fail "no attacker connection left open" "ukprom_connections = '$n'"; fi
stop_demo
rc=$?
if [ $rc = 0 ]; then pass "demo stops with status 0"
else fail "demo stops with status 0" "status $rc"; tail -n 20 "$DEMO_LOG"; fi
finish
