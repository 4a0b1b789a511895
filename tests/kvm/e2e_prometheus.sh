#!/usr/bin/env bash
# A real Prometheus (Debian's) scrapes the demo VM every second through
# QEMU's hostfwd while wrk loads the VM's file server: the target is up
# with no lastError before and after the load, every scrape during the
# load succeeded, and PromQL sees the load: the rates of the NIC's
# received packets and of the allocator's allocations are above zero,
# and the increases of the received packets and of the file server's
# request counter over the load account for at least half of the
# requests wrk completed.  Queries are evaluated 1.5 s after the 5 s
# load ends, over a window from 2.5 s before it started (Prometheus has
# been scraping for 3 s by then), so each holds about nine 1 s scrapes:
# robust to a late or missed scrape.  Prometheus runs on a free loopback port with a
# throw-away TSDB under build/ and is stopped, by PID, on exit.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh
. scripts/prometheus.sh
. tests/lib/promql.sh
WRK_SECONDS=${WRK_SECONDS:-5}

vmt_boot || { finish; exit 1; }

work="$E2E_TMP/kvm_prometheus.$$"
mkdir -p "$work"
_prom_rm() { rm -rf "$work"; }
trap '_prom_rm; _vmt_cleanup' EXIT

web=$(free_port)
prom_start "$work" "127.0.0.1:$VMT_MPORT" "$web"
rc=$?
vmt_track "$PROM_PID"
if [ $rc -eq 0 ]; then
  pass "prometheus is ready on 127.0.0.1:$web"
else
  fail "prometheus is ready" "log follows"
  tail -n 20 "$work/prometheus.log" | sed 's/^/     /'
  finish
  exit 1
fi

sleep 3  # a few scrapes first, so "up" means it stayed up
prom_target_up "before the load"
prom_expect "Prometheus negotiated OpenMetrics" \
  'ukprom_scrapes_total{format="openmetrics"}' '>' 0

t_load=$(date +%s.%N)
wrk -t2 -c8 -d"${WRK_SECONDS}s" "http://127.0.0.1:$VMT_FPORT/1k.bin" \
  >"$work/wrk.out" 2>&1
rc=$?
t_end=$(date +%s.%N)
sed 's/^/     wrk| /' "$work/wrk.out"
reqs=$(awk '/requests in/ { print $1; exit }' "$work/wrk.out")
if [ $rc = 0 ] && [ -n "$reqs" ] && [ "$reqs" -gt 0 ] &&
   ! grep -q 'Non-2xx\|Socket errors' "$work/wrk.out"; then
  pass "wrk loaded the file server: $reqs requests, no errors"
else
  fail "wrk loaded the file server" "status $rc, '${reqs}' requests"
  reqs=0
fi

sleep 2  # the scrapes after the load land
at=$(awk -v t="$t_end" 'BEGIN { printf "%.3f", t + 1.5 }')
win=$(awk -v a="$t_load" -v b="$at" 'BEGIN { printf "%d", b - a + 2.5 }')
prom_expect "the NIC's receive rate moved" \
  "rate(netdev_rx_packets_total{device=\"eth0\"}[${win}s])" '>' 0 "$at"
prom_expect "the allocator's allocation rate moved" \
  "rate(ukalloc_allocs_total[${win}s])" '>' 0 "$at"
half=$((reqs / 2))
prom_expect "received packets cover the load" \
  "increase(netdev_rx_packets_total{device=\"eth0\"}[${win}s])" '>=' \
  "$half" "$at"
prom_expect "file server requests cover the load" \
  "increase(fileserver_requests_total[${win}s])" '>=' "$half" "$at"
prom_expect "every scrape during the load succeeded" \
  "min_over_time(up[${win}s])" '==' 1 "$at"
prom_expect "scrapes kept going during the load" \
  "count_over_time(up[${win}s])" '>=' $((win / 2)) "$at"
prom_target_up "after the load"

if grep -qi 'level=error' "$work/prometheus.log"; then
  fail "prometheus logged no errors"
  grep -i 'level=error' "$work/prometheus.log" | head -n 5 | sed 's/^/     /'
else
  pass "prometheus logged no errors"
fi
vmt_alive "the VM is still running, no panic on its console"
finish
