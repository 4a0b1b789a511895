#!/usr/bin/env bash
# CPU time by mode in the demo VM (uksched_cpu_mode_seconds_total{mode}),
# scraped from /metrics: the modes add up to the time since boot
# (kvm_uptime_seconds, read in the same scrape and right after it)
# within 1%, and their growth between two scrapes to the time between
# them; while the VM
# idles, idle takes over 90% of an interval; under wrk against the file
# server, user (its workers), system (the exporter, lwIP's thread),
# softirq (lwIP's receive thread) and irq (the NIC's interrupts) all
# grow.  The interrupt count and the load averages are printed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh
WRK_SECONDS=${WRK_SECONDS:-3}
IDLE_SECONDS=${IDLE_SECONDS:-2}
work="$E2E_TMP/kvm_cpu.$$"
mkdir -p "$work"
trap 'rm -rf "$work"; _vmt_cleanup' EXIT

# scrape FILE: the mode seconds, the uptime and interrupts, one "name
# value" a line (user system irq softirq idle uptime irqs load1), and
# "after", the uptime read by a request right after the scrape.  The
# modes were read between uptime and after: a scrape streams its
# libraries in name order (kvm before uksched) and may wait for the
# client's ACKs on the way, tens of ms under TCG, so the moment they
# were read is only known to lie in that bracket.
scrape() {
  curl -s --max-time 10 "http://127.0.0.1:$VMT_MPORT/metrics" |
    awk '
      /^uksched_cpu_mode_seconds_total\{mode="[a-z]+"\} / {
        m = $1; sub(/.*mode="/, "", m); sub(/".*/, "", m); v[m] = $2 }
      $1 == "kvm_uptime_seconds" { v["uptime"] = $2 }
      $1 == "kvm_irqs_total" { v["irqs"] = $2 }
      /^uksched_load_average\{minutes="1"\} / { v["load1"] = $2 }
      END { for (k in v) print k, v[k] }' >"$1"
  echo "after $(curl -s --max-time 10 \
    "http://127.0.0.1:$VMT_MPORT/store/kvm/uptime_seconds")" >>"$1"
}

# get FILE NAME
get() {
  awk -v k="$2" '$1 == k { print $2 }' "$1"
}

# delta A B NAME: B's NAME minus A's.
delta() {
  awk -v a="$(get "$1" "$3")" -v b="$(get "$2" "$3")" \
    'BEGIN { printf "%.6f", b - a }'
}

modes="user system irq softirq idle"

# sum FILE: the modes added up.
sum() {
  local s=0 m
  for m in $modes; do
    s=$(awk -v s="$s" -v v="$(get "$1" "$m")" 'BEGIN { printf "%.6f", s + v }')
  done
  echo "$s"
}

# within NAME A LO HI PCT: passes if A is within PCT% of [LO, HI].
within() {
  if awk -v a="$2" -v lo="$3" -v hi="$4" -v p="$5" \
       'BEGIN { exit !(lo > 0 && a >= lo * (1 - p / 100) && a <= hi * (1 + p / 100)) }'; then
    pass "$1 ($2 in [$3, $4])"
  else
    fail "$1" "$2 not within $5% of [$3, $4]"
  fi
}

# since_boot NAME S: the modes of scrape S add up to its uptime bracket.
since_boot() {
  within "$1" "$(sum "$2")" "$(get "$2" uptime)" "$(get "$2" after)" 1
}

# grows_as_uptime NAME A B: the modes grew from A to B as the uptime
# did, within 1% of the brackets' extremes.
grows_as_uptime() {
  within "$1" \
    "$(awk -v a="$(sum "$2")" -v b="$(sum "$3")" 'BEGIN { printf "%.6f", b - a }')" \
    "$(awk -v a="$(get "$2" after)" -v b="$(get "$3" uptime)" 'BEGIN { printf "%.6f", b - a }')" \
    "$(awk -v a="$(get "$2" uptime)" -v b="$(get "$3" after)" 'BEGIN { printf "%.6f", b - a }')" 1
}

# grew NAME A B MODE: passes if MODE grew from A to B.
grew() {
  local d
  d=$(delta "$2" "$3" "$4")
  if awk -v d="$d" 'BEGIN { exit !(d > 0) }'; then
    pass "$1 (+$d s)"
  else
    fail "$1" "$4 grew by $d s"
  fi
}

# interval A B: the modes' growth, and each mode's share of it.
interval() {
  local m out="" tot
  tot=$(awk -v a="$(sum "$1")" -v b="$(sum "$2")" 'BEGIN { printf "%.6f", b - a }')
  for m in $modes; do
    out="$out $m $(delta "$1" "$2" "$m")"
  done
  echo "     $tot s:$out; $(delta "$1" "$2" irqs | sed 's/[.]0*$//') interrupts"
}

vmt_boot $VMT_STATIC || { finish; exit 1; }
sleep 1
scrape "$work/s0"
if [ -n "$(get "$work/s0" idle)" ] && [ -n "$(get "$work/s0" uptime)" ]; then
  pass "the five modes and the uptime are exported"
else
  fail "the five modes and the uptime are exported" "$(tr '\n' ' ' <"$work/s0")"
fi
since_boot "the modes add up to the time since boot" "$work/s0"

# Idle: only the scrapes themselves run.
sleep "$IDLE_SECONDS"
scrape "$work/s1"
interval "$work/s0" "$work/s1"
grows_as_uptime "an idle interval: the modes grow as the uptime" \
  "$work/s0" "$work/s1"
share=$(awk -v i="$(delta "$work/s0" "$work/s1" idle)" \
  -v u="$(delta "$work/s0" "$work/s1" uptime)" 'BEGIN { printf "%.4f", i / u }')
if awk -v s="$share" 'BEGIN { exit !(s > 0.90) }'; then
  pass "idle takes over 90% of an idle interval ($share)"
else
  fail "idle takes over 90% of an idle interval" "$share"
fi
since_boot "the modes still add up to the time since boot" "$work/s1"

# Load: wrk against the file server.
wrk -t2 -c8 -d"${WRK_SECONDS}s" "http://127.0.0.1:$VMT_FPORT/1k.bin" \
  >"$work/wrk" 2>&1 &
wrk_pid=$!
vmt_track $wrk_pid
wait $wrk_pid
scrape "$work/s2"
interval "$work/s1" "$work/s2"
echo "     wrk: $(awk '/Requests\/sec/ { print $2 " requests/s" }' "$work/wrk"); load1 $(get "$work/s2" load1)"
grows_as_uptime "under load: the modes grow as the uptime" \
  "$work/s1" "$work/s2"
grew "under load, user grows (the file server)" "$work/s1" "$work/s2" user
grew "under load, system grows (exporter, lwIP)" "$work/s1" "$work/s2" system
grew "under load, softirq grows (lwIP's receive thread)" "$work/s1" "$work/s2" softirq
grew "under load, irq grows (the NIC's interrupts)" "$work/s1" "$work/s2" irq
since_boot "after the load, too" "$work/s2"
vmt_alive "the VM runs on with a clean console"
finish
