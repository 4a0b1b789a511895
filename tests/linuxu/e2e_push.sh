#!/usr/bin/env bash
# linuxu-demo pushing to a real Prometheus Pushgateway (Debian's), and
# to servers that fail: the same client and push code as the VM's, under
# ASan/UBSan and ThreadSanitizer.
#   - ASan demo with --push-interval 1: periodic pushes reach the
#     Pushgateway under job "demo" and instance "lx-1" (--hostname), then
#     SIGTERM makes a final push that counts itself, and the demo exits 0.
#   - TSan demo: periodic pushes while curl scrapes and the workload's
#     folders churn; no data race (TSan would exit 66), final push 200.
#   - Failures, each with --push-timeout-ms 500: nothing listening
#     (refused), a server that never answers (tests/lib/push_server.py),
#     one that answers 400: the demo still exits 0, within the bound
#     (measured from SIGTERM, asserted with a generous margin: 3 s over
#     the 0.5 s bound, for a loaded machine), and its console says why.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/lib/pushgateway.sh
. tests/linuxu/demo.sh
work="$E2E_TMP/push.$$"
mkdir -p "$work"
srv=
trap '_demo_cleanup; pg_stop; [ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$work"' EXIT
MARGIN_MS=3000

if pg_start "$work"; then
  pass "prometheus-pushgateway is ready on $PG_URL"
else
  fail "prometheus-pushgateway is ready" "$(tail -n 5 "$work/pushgateway.log")"
  finish
  exit 1
fi
push="127.0.0.1:$PG_PORT/metrics/job/demo"

# --- the ASan demo, periodic pushes then the final one
if start_demo --set demo/tick_period=20 --push "$push" --push-interval 1 \
    --hostname lx-1; then
  pass "asan demo starts, pushing every second"
else
  fail "asan demo starts"; finish; exit 1
fi
pushes='ukprom_pushes_total{instance="lx-1",job="demo"}'
if pg_wait "$pushes" 2 15; then
  pass "periodic pushes reach the Pushgateway ($pushes = $(pg_value "$pushes"))"
else
  fail "periodic pushes reach the Pushgateway" "$pushes = '$(pg_value "$pushes")'"
fi
ticks=$(pg_value 'demo_ticks_total{instance="lx-1",job="demo"}')
if [ -n "$ticks" ]; then pass "the demo's own counters are there (demo_ticks_total $ticks)"
else fail "the demo's own counters are there"; fi
before=$(pg_value "$pushes")
stop_demo
rc=$?
check "the demo exits 0 after its final push" [ "$rc" = 0 ]
after=$(pg_value "$pushes")
if [ -n "$after" ] && [ -n "$before" ] && [ "$after" -gt "$before" ]; then
  pass "the final push counted itself ($pushes $before -> $after)"
else
  fail "the final push counted itself" "$before -> $after"
fi
fails=$(pg_value 'push_failure_time_seconds{instance="lx-1",job="demo"}')
check "the Pushgateway saw no failed push (push_failure_time_seconds $fails)" \
  [ "$fails" = 0 ]
if grep -q "^ukprom: pushed [0-9]* bytes to $push/instance/lx-1 in [0-9]* ms (HTTP 200)" "$DEMO_LOG"; then
  pass "the console reports the final push: $(grep '^ukprom: pushed' "$DEMO_LOG" | tail -n 1)"
else
  fail "the console reports the final push"; sed 's/^/     /' "$DEMO_LOG" | tail -n 5
fi

# --- the TSan demo: pushes, scrapes and churn at once
DEMO_BIN_SAVED=$DEMO_BIN
DEMO_BIN=build/tsan/linuxu-demo
export TSAN_OPTIONS="exitcode=66 ${TSAN_OPTIONS:-}"
if start_demo --set demo/tick_period=20 --push "$push" --push-interval 1 \
    --hostname lx-tsan; then
  pass "tsan demo starts, pushing every second"
  for _ in $(seq 30); do
    curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$DEMO_PORT/metrics"
    sleep 0.1
  done
  stop_demo
  rc=$?
  if [ "$rc" = 0 ]; then
    pass "no data race among pushes, scrapes and churn (status 0)"
  else
    fail "no data race among pushes, scrapes and churn" "status $rc"
    grep -A 30 'WARNING: ThreadSanitizer' "$DEMO_LOG" | head -n 40 | sed 's/^/     /'
  fi
  n=$(pg_value 'ukprom_pushes_total{instance="lx-tsan",job="demo"}')
  if [ -n "$n" ] && [ "$n" -ge 3 ]; then
    pass "tsan demo pushed periodically and at exit ($n pushes)"
  else
    fail "tsan demo pushed periodically and at exit" "'$n' pushes"
  fi
else
  fail "tsan demo starts"
fi
DEMO_BIN=$DEMO_BIN_SAVED

# --- failures: the exit is bounded and the console says why
/usr/bin/python3 tests/lib/push_server.py >"$work/ports" 2>"$work/server.log" &
srv=$!
for _ in $(seq 100); do [ -s "$work/ports" ] && break; sleep 0.05; done
read -r sport _ <"$work/ports"
dead=$(free_port)

# fail_case NAME URL WHY: the demo pushing to URL exits 0 within the bound
# after SIGTERM, its console saying WHY (a grep -E pattern).
fail_case() {
  local name=$1 url=$2 why=$3 t0 t1 ms rc
  if ! start_demo --push "$url" --push-timeout-ms 500 --hostname lx-fail; then
    fail "$name: demo starts"
    return
  fi
  t0=$(date +%s%N)
  stop_demo
  rc=$?
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  if [ "$rc" = 0 ] && [ "$ms" -le $((500 + MARGIN_MS)) ]; then
    pass "$name: exits 0 in $ms ms after SIGTERM (bound 500 ms + margin)"
  else
    fail "$name: exits 0 within the bound" "status $rc after $ms ms"
  fi
  if grep -Eq "^error: ukprom: push to .* failed after [0-9]+ ms: $why" "$DEMO_LOG"; then
    pass "$name: console says: $(grep 'failed after' "$DEMO_LOG" | sed 's/^error: //')"
  else
    fail "$name: console says why" "want '$why'"
    sed 's/^/     /' "$DEMO_LOG" | tail -n 5
  fi
}
fail_case "nothing listening" "127.0.0.1:$dead/metrics/job/demo" \
  "connection refused"
fail_case "a server that never answers" "127.0.0.1:$sport/metrics/job/hang" \
  "timed out after 500 ms waiting for the response"
fail_case "a server answering 400" "127.0.0.1:$sport/metrics/job/status-400" \
  "HTTP 400 Test Status: push refused by the test server"
finish
