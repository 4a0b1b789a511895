#!/usr/bin/env bash
# The linuxu demo scraped with curl and checked by promtool and our
# OpenMetrics checker (tests/lib/scrape_formats.sh), then demo-specific
# checks: the published families are there, --set reaches the setter
# (and its range check), worker folders come and go between scrapes, and
# SIGTERM and SIGINT stop the demo with status 0.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/linuxu/demo.sh

start_demo --set demo/tick_period=50 ||
  { fail "demo starts"; finish; exit 1; }
pass "demo starts on port $DEMO_PORT"

log="$E2E_TMP/formats.$$.log"
bash tests/lib/scrape_formats.sh 127.0.0.1 "$DEMO_PORT" >"$log" 2>&1
sed '$d' "$log"
absorb "$log" "scrape_formats.sh"
rm -f "$log"

url="http://127.0.0.1:$DEMO_PORT/metrics"
text=$(curl -s --max-time 5 "$url")
om=$(curl -s --max-time 5 -H 'Accept: application/openmetrics-text' "$url")

has() {  # NAME BODY REGEX: a sample line matches REGEX
  if grep -Eq "$3" <<<"$2"; then pass "$1"
  else fail "$1" "no line matches $3"; fi
}
has "text: uptime gauge in seconds" "$text" '^demo_uptime_seconds [0-9.e+-]+$'
has "text: tick counter" "$text" '^demo_ticks_total [0-9]+$'
has "text: version info" "$text" '^demo_version_info\{.*\} 1$'
has "text: worker count" "$text" '^demo_workers [0-9]$'
has "text: --set demo/tick_period=50 went through the setter" "$text" \
  '^demo_tick_period 50$'
has "text: per-worker jobs counter" "$text" \
  '^demo_jobs_total\{worker="w[0-7]"\} [0-9]+$'
has "text: per-worker busy gauge" "$text" '^demo_busy\{worker="w[0-7]"\} [01]$'
has "text: per-worker busy time" "$text" \
  '^demo_busy_time_seconds_total\{worker="w[0-7]"\} [0-9.e+-]+$'
has "text: latency histogram +Inf bucket" "$text" \
  '^demo_job_latency_seconds_bucket\{le="\+Inf"\} [0-9]+$'
has "text: latency histogram sum" "$text" \
  '^demo_job_latency_seconds_sum [0-9.e+-]+$'
has "openmetrics: unit of uptime" "$om" '^# UNIT demo_uptime_seconds seconds$'
has "openmetrics: counter family without _total" "$om" \
  '^# TYPE demo_ticks counter$'
has "openmetrics: info family" "$om" '^# TYPE demo_version info$'

# Workers are hired and retired every 5 ticks (250 ms here): over a few
# scrapes the set of worker labels must change.
workers() {
  curl -s --max-time 5 "$url" | grep -Eo '^demo_jobs_total\{worker="w[0-7]"' |
    sort | tr -d '\n'
}
first=$(workers) changed=0
for _ in $(seq 20); do
  sleep 0.2
  [ "$(workers)" != "$first" ] && { changed=1; break; }
done
if [ $changed = 1 ]; then pass "worker folders come and go between scrapes"
else fail "worker folders come and go" "always $first"; fi

# Parallel scrapes while folders churn: every one is complete (curl sees
# the whole body), parses (promtool exit 1 is a parse error; 3 is only a
# lint remark, judged above) and holds no series twice.
pids=()
for i in 1 2 3 4; do
  ( f="$E2E_TMP/par.$$.$i"
    trap 'rm -f "$f"' EXIT
    for _ in $(seq 10); do
      curl -sf --max-time 5 -o "$f" "$url" || exit 1
      promtool check metrics <"$f" >/dev/null 2>&1
      [ $? = 1 ] && exit 1
      awk '!/^#/ { if (seen[$1]++) d++ } END { exit d > 0 }' "$f" || exit 1
    done ) &
  pids+=($!)
done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
if [ $bad = 0 ]; then pass "40 scrapes from 4 parallel clients all parse"
else fail "parallel scrapes" "$bad clients saw a bad scrape"; fi

stop_demo TERM
rc=$?
if [ $rc = 0 ]; then pass "SIGTERM stops the demo with status 0"
else fail "SIGTERM stops the demo" "status $rc"; sed 's/^/     /' "$DEMO_LOG" |
  tail -n 20; fi

if start_demo; then
  stop_demo INT
  rc=$?
  if [ $rc = 0 ]; then pass "SIGINT stops the demo with status 0"
  else fail "SIGINT stops the demo" "status $rc"; fi
else
  fail "demo restarts"
fi

# The setter's range check, and read-only and missing entries, refuse
# --set with status 2 before serving anything.
for bad in demo/tick_period=5 demo/tick_period=99999 demo/tick_period=abc \
    demo/ticks=3 demo/nope=1; do
  out=$(timeout 5 "$DEMO_BIN" --listen 127.0.0.1:0 --set "$bad" 2>&1)
  rc=$?
  if [ $rc = 2 ] && ! grep -q listening <<<"$out"; then
    pass "--set $bad is refused: $out"
  else
    fail "--set $bad is refused" "status $rc: $out"
  fi
done
finish
