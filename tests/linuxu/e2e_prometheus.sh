#!/usr/bin/env bash
# A real Prometheus scrapes the linuxu demo for a few seconds
# (tests/lib/prometheus_scrape.sh) and finds the demo's series: a
# counter, a worker-labelled series, a histogram bucket, the setter's
# value, an info series, a rate, and ukprom's own count of OpenMetrics
# scrapes (Prometheus negotiates OpenMetrics).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/linuxu/demo.sh

start_demo --set demo/tick_period=100 ||
  { fail "demo starts"; finish; exit 1; }
pass "demo starts on port $DEMO_PORT"
log="$E2E_TMP/prometheus.$$.log"
bash tests/lib/prometheus_scrape.sh 127.0.0.1 "$DEMO_PORT" \
  'demo_ticks_total > 0' \
  'demo_jobs_total{worker=~"w[0-7]"}' \
  'demo_job_latency_seconds_bucket{le="+Inf"} > 0' \
  'demo_tick_period == 100' \
  'demo_version_info' \
  'ukprom_scrapes_total{format="openmetrics"} > 0' \
  'rate(demo_ticks_total[10s]) > 0' >"$log" 2>&1
sed '$d' "$log"
absorb "$log" "prometheus_scrape.sh"
rm -f "$log"
stop_demo
rc=$?
if [ $rc = 0 ]; then pass "demo stops with status 0"
else fail "demo stops with status 0" "status $rc"; tail -n 20 "$DEMO_LOG"; fi
finish
