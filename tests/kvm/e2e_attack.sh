#!/usr/bin/env bash
# Connection-exhaustion attacks on the demo VM through QEMU's hostfwd
# (tests/lib/http_attack.py, the same attacker as on linuxu): 16 and then
# 64 unfinished requests closed and reopened every 0.5 s, then 16 held
# ones trickling a byte every 0.5 s, each for 20 s while a scraper
# scrapes once a second: at least 19 of 20 scrapes must get 200.  The
# attacker paces its connects by 6 ms (QEMU's forwarded port has a listen
# backlog of one, see paced.py).  No TCP PCB is left behind: while the
# trickling attacker holds open every connection the exporter dropped,
# few PCBs are closing (the exporter resets what it gives up on; a
# graceful close would leave a FIN-WAIT-2 PCB for 20 s each), lwIP never
# ran out of them, none is left a moment after the attacks, and the VM
# still serves.  ATTACK_SECONDS shortens the runs, ATTACKS picks them
# (not in make check).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh
SECS=${ATTACK_SECONDS:-20}
MIN_OK=$((SECS - 1))

vmt_boot || { finish; exit 1; }

# attack NAME: runs one attack and folds in its result.  During the
# trickle attack, whose attacker holds open every connection the exporter
# dropped, the PCBs in a closing state are counted near its end: the
# exporter's lingering closes (at most 16, each 2 s at most) and little
# else.  Closed gracefully instead, each dropped connection would keep a
# FIN-WAIT-2 PCB for 20 s.
attack() {
  local log="$E2E_TMP/kvm_attack.$$.log" pid
  /usr/bin/python3 tests/lib/http_attack.py 127.0.0.1 "$VMT_MPORT" \
    "$1" --seconds "$SECS" --min-ok "$MIN_OK" --pace 0.006 \
    >"$log" 2>&1 &
  pid=$!
  vmt_track "$pid"
  if [ "${1%%:*}" = trickle ]; then
    sleep $((SECS - 2))
    CLOSING_PEAK=$(vmt_metric lwip_tcp_opening_closing)
  fi
  wait "$pid"
  sed '$d' "$log"
  absorb "$log" "http_attack.py $1"
  rm -f "$log"
}

CLOSING_PEAK=
for a in ${ATTACKS:-churn:16 churn:64 trickle:16}; do
  attack "$a"
done
if [ -n "$CLOSING_PEAK" ]; then
  if [ "$CLOSING_PEAK" -le 24 ]; then
    pass "dropped connections held open by the attacker leave no PCB behind (lwip_tcp_opening_closing = $CLOSING_PEAK near the end)"
  else
    fail "dropped connections held open by the attacker leave no PCB behind" \
      "lwip_tcp_opening_closing = $CLOSING_PEAK near the end"
  fi
fi

vmt_at_least "attackers' connections were evicted" \
  ukprom_evicted_connections_total 100
# Closing connections drain within the exporter's 2 s lingering bound.
for _ in $(seq 20); do
  closing=$(vmt_metric lwip_tcp_opening_closing)
  [ -n "$closing" ] && [ "$closing" -le 2 ] && break
  sleep 0.25
done
if [ -n "$closing" ] && [ "$closing" -le 2 ]; then
  pass "no PCB left closing (lwip_tcp_opening_closing = $closing)"
else
  fail "no PCB left closing" "lwip_tcp_opening_closing = '$closing'"
fi
est=$(vmt_metric lwip_tcp_established)
if [ -n "$est" ] && [ "$est" -le 2 ]; then
  pass "no attacker connection left established (lwip_tcp_established = $est)"
else
  fail "no attacker connection left established" "lwip_tcp_established = '$est'"
fi
err=$(vmt_metric 'lwip_pool_err_total{pool="tcp_pcb"}')
if [ "$err" = 0 ]; then pass "lwIP never ran out of TCP PCBs"
else fail "lwIP never ran out of TCP PCBs" "pool_err_total = '$err'"; fi
vmt_scrape_ok "a normal scrape succeeds at the end"
vmt_alive "the VM is still running, no panic on its console"
finish
