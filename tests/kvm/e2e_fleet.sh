#!/usr/bin/env bash
# make fleet, end to end: a fleet of 3 demo VMs (scripts/fleet.sh) found
# by a real Prometheus through file_sd and remote-written to a real
# VictoriaMetrics.  Checks that all 3 are up, each naming itself
# (node_uname_info's nodename) as its hostname label; that
# VictoriaMetrics answers a query with series of all 3; that a killed VM
# shows up == 0, fires InstanceDown and then leaves the targets while the
# others keep being scraped; and that a VM started later (scale) appears,
# all without restarting Prometheus.  Only 127.0.0.1 is contacted.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh

for t in prometheus victoria-metrics; do
  command -v "$t" >/dev/null || { fail "$t is installed"; finish; exit 1; }
done
[ -f build/kvm/demo.elf ] || { fail "build/kvm/demo.elf exists"; finish; exit 1; }

PPORT=$(free_port); VPORT=$(free_port)
# Six consecutive free ports for the VMs' forwards (3 now, 1 later).
MBASE=$(/usr/bin/python3 - <<'PY'
import socket
for base in range(20000, 60000, 97):
    socks = []
    try:
        for p in range(base, base + 10):
            s = socket.socket(); s.bind(("127.0.0.1", p)); socks.append(s)
        print(base); break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
PY
)
FBASE=$((MBASE + 5))
log=build/fleet-test.log
mkdir -p build
UKMON_RUN_SECONDS=120 N=3 UKMON_PROM_PORT=$PPORT UKMON_VMETRICS_PORT=$VPORT \
  UKMON_METRICS_PORT=$MBASE UKMON_FILE_PORT=$FBASE UKMON_FLEET_GRACE=8 \
  bash scripts/fleet.sh >"$log" 2>&1 &
fpid=$!
trap 'kill -TERM $fpid 2>/dev/null; wait $fpid 2>/dev/null' EXIT
API=http://127.0.0.1:$PPORT/api/v1

# q URL QUERY: the result vector as "label=value,...=value value" lines.
q() {
  curl -s -m 3 "$1/query" --data-urlencode "query=$2" | /usr/bin/python3 -c '
import json, sys
try:
    for r in json.load(sys.stdin)["data"]["result"]:
        m = r["metric"]
        print(",".join("%s=%s" % kv for kv in sorted(m.items())), r["value"][1])
except Exception:
    pass'
}
# until SECONDS CMD...: retries CMD every 0.5 s until it succeeds.
until_ok() {
  local n=$(($1 * 2)); shift
  while [ "$n" -gt 0 ]; do
    "$@" && return 0
    sleep 0.5; n=$((n - 1))
  done
  return 1
}
ups() { q "$API" 'up{job="fleet"} == 1' | grep -c 'hostname=ukmon-'; }
three_up() { [ "$(ups)" = 3 ]; }
prom_pid0=

check "fleet started, 3 VMs booted" until_ok 60 grep -q 'the fleet is running' "$log"
check "all 3 are up in Prometheus, found through file_sd" until_ok 20 three_up
prom_pid0=$(pgrep -f "prometheus --config.file=build/fleet/prometheus.yml" | head -1)
labels_ok() {
  q "$API" 'up{job="fleet",hostname="ukmon-2"}' | grep -q "image=demo.elf,instance=127.0.0.1:$((MBASE + 1))"
}
check "targets carry instance, hostname and image" labels_ok
# Each VM names itself as its target is labelled: node_uname_info's
# nodename (uk.hostname) equals the file_sd hostname label.
names_ok() {
  [ "$(q "$API" 'node_uname_info{job="fleet"}' |
       sed -n 's/.*hostname=\(ukmon-[0-9]*\),.*nodename=\(ukmon-[0-9]*\),.*/\1 \2/p' |
       awk '$1 == $2' | wc -l)" = 3 ]
}
check "each VM's node_uname_info nodename is its hostname label" until_ok 10 names_ok

vm3() { [ "$(q "http://127.0.0.1:$VPORT/api/v1" 'count by (hostname) (netdev_rx_packets_total)' | grep -c hostname=ukmon-)" = 3 ]; }
check "VictoriaMetrics returns series of all 3 instances" until_ok 30 vm3

# Kill ukmon-2 as a crash would.
victim=$(awk '$1 == "ukmon-2" { print $2 }' "$log")
last_scrape() {
  curl -s -m 3 "$API/targets" | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin)["data"]["activeTargets"]:
    if t["labels"].get("hostname") == sys.argv[1]:
        print(t["lastScrape"])' "$1"
}
before1=$(last_scrape ukmon-1)
kill -KILL "$victim"
down() { q "$API" 'up{hostname="ukmon-2"} == 0' | grep -q ukmon-2; }
check "the killed VM's up goes to 0" until_ok 10 down
firing() {
  curl -s -m 3 "$API/alerts" | grep -q '"alertname":"InstanceDown","hostname":"ukmon-2".*"state":"firing"'
}
check "InstanceDown fires for it" until_ok 15 firing
gone() { ! curl -s -m 3 "$API/targets" | grep -q '"hostname":"ukmon-2"'; }
check "then its target is gone" until_ok 20 gone
after1=$(last_scrape ukmon-1)
check "the others keep being scraped" test -n "$after1" -a "$after1" != "$before1"
two_up() { [ "$(ups)" = 2 ]; }
check "the other 2 are up" until_ok 5 two_up

# A new VM, while everything runs.
bash scripts/fleet.sh scale 3
new_up() { q "$API" 'up{hostname="ukmon-4"} == 1' | grep -q ukmon-4; }
check "a VM started later appears, up" until_ok 30 new_up
prom_pid1=$(pgrep -f "prometheus --config.file=build/fleet/prometheus.yml" | head -1)
check "without a Prometheus restart (PID $prom_pid0)" test -n "$prom_pid0" -a "$prom_pid0" = "$prom_pid1"

kill -TERM "$fpid"
wait "$fpid" 2>/dev/null
trap - EXIT
stopped() { ! pgrep -f "build/fleet/ukmon-" >/dev/null && ! kill -0 "$prom_pid1" 2>/dev/null; }
check "stopping the fleet stops every VM and Prometheus" until_ok 10 stopped
[ "$T_FAILED" -ne 0 ] && sed 's/^/  fleet| /' "$log" | tail -n 30
finish
