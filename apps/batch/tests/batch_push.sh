#!/usr/bin/env bash
# The batch image pushes its metrics to a real Pushgateway (Debian's, on
# loopback; the guest reaches it through QEMU's 10.0.2.2) as it exits,
# and a real Prometheus scraping the Pushgateway with honor_labels: true
# shows them under the instance's own labels (job="batch",
# instance="batch-1", from uk.hostname).
#   1. batch-1: the job succeeds, exits 0, its output (LZSS header:
#      magic, the input's length) in the host folder shared as /data
#      over 9P; the Pushgateway holds its
#      bytes (equal to the input's size), ratio, status, the push
#      counter (1: the body counts itself) and no push failure; Prometheus
#      answers the same under job="batch", instance="batch-1".
#   2. batch-2: ukprom.push_interval=1 and batch.hold_ms=2500: periodic
#      pushes before the final one (at least 3 in all).
#   3. batch-3: the job fails (no such input): the image exits with the
#      job's status, 1, and the push still carries batch_exit_status 1.
# Prints the final push's duration in the VM.
set -u
cd "$(dirname "$0")/../../.."
. tests/lib/tally.sh
. tests/lib/pushgateway.sh
. scripts/prometheus.sh
. apps/batch/tests/batch_lib.sh
E2E_TMP=${E2E_TMP:-build/e2e}
mkdir -p "$E2E_TMP"
work=$(mktemp -d "$E2E_TMP/batch_push.XXXXXX")
trap 'pg_stop; [ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

[ -f "$BATCH_IMG" ] || { fail "$BATCH_IMG exists" "make $BATCH_IMG"; finish; exit 1; }
if pg_start "$work"; then pass "prometheus-pushgateway is ready on $PG_URL"
else fail "prometheus-pushgateway is ready"; finish; exit 1; fi
batch_initrd "$work"
push="ukprom.push=10.0.2.2:$PG_PORT/metrics/job/batch"

# expect_pg NAME SERIES VALUE: the Pushgateway holds SERIES = VALUE.
expect_pg() {
  local v
  v=$(pg_value "$2")
  if [ -n "$v" ] && awk -v v="$v" -v w="$3" 'BEGIN { exit !(v + 0 == w + 0) }'; then
    pass "$1: $2 = $v"
  else
    fail "$1" "$2 = '$v', want $3"
  fi
}

# --- 1. one short job, one push at exit; /data is a host folder over 9P
mkdir -p "$work/data"
BATCH_SHARE=$work/data batch_run "$work/b1.log" uk.hostname=batch-1 "$push"
out=$work/data/out.lz
if [ -f "$out" ] &&
   [ "$(head -c 4 "$out")" = ULZ1 ] &&
   [ "$(od -An -tu4 -j4 -N4 "$out" | tr -d ' ')" = "$BATCH_INPUT_SIZE" ] &&
   [ "$(stat -c %s "$out")" -lt "$BATCH_INPUT_SIZE" ]; then
  pass "batch-1 wrote /data/out.lz to the host's folder over 9P ($(stat -c %s "$out") bytes from $BATCH_INPUT_SIZE)"
else
  fail "batch-1 wrote /data/out.lz to the host's folder over 9P" "$(ls -l "$work/data" 2>&1)"
fi
if [ "$BATCH_STATUS" = 0 ]; then
  pass "batch-1 exits 0 after $BATCH_MS ms (QEMU's whole life)"
else
  fail "batch-1 exits 0" "status $BATCH_STATUS"; sed 's/^/     /' "$work/b1.log" | tail -n 15
fi
ok_line=$(grep '^ukprom: pushed [0-9]* bytes to .* (HTTP 200)$' "$work/b1.log")
ms=$(batch_push_ms "$work/b1.log")
if [ -n "$ok_line" ] && [ -n "$ms" ]; then
  pass "the console reports the push: $ok_line"
  echo "     figure: final push in the VM: $ms ms (batch-1)"
else
  fail "the console reports the push"; sed 's/^/     /' "$work/b1.log" | tail -n 15
fi
l='{instance="batch-1",job="batch"}'
expect_pg "the job's input bytes" "batch_read_bytes_total$l" "$BATCH_INPUT_SIZE"
written=$(pg_value "batch_written_bytes_total$l")
if [ -n "$written" ] && [ "$written" -gt 12 ] && [ "$written" -lt "$BATCH_INPUT_SIZE" ]; then
  pass "the job's output bytes: batch_written_bytes_total$l = $written"
else
  fail "the job's output bytes" "'$written'"
fi
expect_pg "the job's status" "batch_exit_status$l" 0
expect_pg "the push counter counts the push itself" "ukprom_pushes_total$l" 1
expect_pg "no push failed" "push_failure_time_seconds$l" 0
ratio=$(pg_value "batch_compression_ratio$l")
echo "     figure: compression ratio $ratio ($BATCH_INPUT_SIZE -> $written bytes)"

# A real Prometheus scrapes the Pushgateway, keeping the pushed labels.
cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    static_configs:
      - targets: ['127.0.0.1:$PG_PORT']
YML
web=$(free_port)
if prom_start_config "$work" "$web"; then
  pass "prometheus is ready on 127.0.0.1:$web, scraping the Pushgateway"
else
  fail "prometheus is ready" "$(tail -n 5 "$work/prometheus.log")"
fi
# query EXPR: the first sample's value, or "none".
query() {
  curl -s --max-time 5 --data-urlencode "query=$1" "$PROM_API/query" |
    /usr/bin/python3 -c 'import json, sys
try:
    r = json.load(sys.stdin)["data"]["result"]
    print(r[0]["value"][1] if r else "none")
except Exception as e:
    print("error:", e)'
}
# expect_prom NAME EXPR VALUE: waits up to 10 s for EXPR = VALUE.
expect_prom() {
  local v
  for _ in $(seq 40); do
    v=$(query "$2")
    [ "$v" = "$3" ] && break
    sleep 0.25
  done
  if [ "$v" = "$3" ]; then pass "$1: $2 = $v"
  else fail "$1" "$2 = '$v', want $3"; fi
}
expect_prom "Prometheus shows the job's bytes under the instance's labels" \
  'batch_read_bytes_total{job="batch",instance="batch-1"}' "$BATCH_INPUT_SIZE"
expect_prom "and its push counter" \
  'ukprom_pushes_total{job="batch",instance="batch-1"}' 1
expect_prom "and its status" \
  'batch_exit_status{job="batch",instance="batch-1"}' 0
expect_prom "honor_labels kept job, no exported_job" \
  'count(batch_read_bytes_total{exported_job!=""}) or vector(0)' 0

# --- 2. periodic pushes while the instance lives a little longer
batch_run "$work/b2.log" uk.hostname=batch-2 "$push" ukprom.push_interval=1 \
  batch.hold_ms=2500
check "batch-2 exits 0" [ "$BATCH_STATUS" = 0 ]
n=$(pg_value 'ukprom_pushes_total{instance="batch-2",job="batch"}')
if [ -n "$n" ] && [ "$n" -ge 3 ]; then
  pass "periodic pushes, then the final one: ukprom_pushes_total = $n"
else
  fail "periodic pushes, then the final one" "ukprom_pushes_total = '$n'"
  sed 's/^/     /' "$work/b2.log" | tail -n 15
fi

# --- 3. a failing job still pushes, and exits with its own status
batch_run "$work/b3.log" uk.hostname=batch-3 "$push" batch.in=/initrd/missing
check "batch-3 exits with the job's status, 1 (got $BATCH_STATUS)" [ "$BATCH_STATUS" = 1 ]
expect_pg "the failed job's status was pushed" \
  'batch_exit_status{instance="batch-3",job="batch"}' 1
expect_pg "and no success time" \
  'batch_last_success_timestamp_seconds{instance="batch-3",job="batch"}' 0

if grep -qi 'level=error' "$work/prometheus.log" "$work/pushgateway.log"; then
  fail "prometheus and the Pushgateway logged no errors"
  grep -i 'level=error' "$work/prometheus.log" "$work/pushgateway.log" | head -n 5 | sed 's/^/     /'
else
  pass "prometheus and the Pushgateway logged no errors"
fi
finish
