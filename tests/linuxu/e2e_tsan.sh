#!/usr/bin/env bash
# The demo built with ThreadSanitizer under real clients: worker folders
# churn every 100 ms while parallel scrapes in both formats, bad requests
# and an over-the-limit burst hit the exporter thread.  Any data race
# makes TSan report and the demo exit with status 66 instead of 0 on
# SIGTERM.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
DEMO_BIN=build/tsan/linuxu-demo
. tests/linuxu/demo.sh
export TSAN_OPTIONS="exitcode=66 ${TSAN_OPTIONS:-}"

start_demo --set demo/tick_period=20 --max-conns 8 ||
  { fail "tsan demo starts"; finish; exit 1; }
pass "tsan demo starts on port $DEMO_PORT"
url="http://127.0.0.1:$DEMO_PORT/metrics"

pids=()
for accept in text/plain application/openmetrics-text text/plain \
    application/openmetrics-text; do
  ( for _ in $(seq 15); do
      curl -sf --max-time 10 -H "Accept: $accept" -o /dev/null "$url" ||
        exit 1
    done ) &
  pids+=($!)
done
log="$E2E_TMP/tsan.$$.log"
/usr/bin/python3 tests/lib/http_bad_requests.py 127.0.0.1 "$DEMO_PORT" \
  >"$log" 2>&1
bad_rc=$?
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
# Some scrapes may meet the limit of 8 while the bad requests run: those
# get 503 and curl -f fails, which is the server doing its job.
if [ $bad -le 1 ]; then pass "60 parallel scrapes in both formats ($bad refused)"
else fail "parallel scrapes" "$bad of 4 clients failed"; fi
if [ $bad_rc = 0 ]; then pass "bad requests answered meanwhile"
else fail "bad requests answered meanwhile"; grep FAIL "$log" | head -5; fi
rm -f "$log"

stop_demo
rc=$?
if [ $rc = 0 ]; then pass "no data race reported (status 0 on SIGTERM)"
else
  fail "no data race reported" "status $rc"
  grep -A 30 'WARNING: ThreadSanitizer' "$DEMO_LOG" | head -n 60 |
    sed 's/^/     /'
fi
finish
