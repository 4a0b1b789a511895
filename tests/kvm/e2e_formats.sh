#!/usr/bin/env bash
# Both exposition formats served from inside the demo VM, through QEMU's
# hostfwd: tests/lib/scrape_formats.sh (promtool check metrics silent on
# the text format, our OpenMetrics checker and Prometheus's OpenMetrics
# parser on both OpenMetrics negotiations, the same families in both),
# then checks that every library of the image publishes its families
# (network device, lwIP, allocator, scheduler, locks, the exporter, the
# file server) and that the /store listing answers.  The VM must survive.
# This one boots by DHCP (the other VM tests use a static address), and
# checks the console shows the address QEMU's DHCP server hands out, and
# that the host name it hands out names the instance.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh

export UKMON_NETDEV_OPTS=hostname=dhcp-named
vmt_boot dhcp || { finish; exit 1; }
unset UKMON_NETDEV_OPTS
if grep -q '^ukprom: listening on http://10\.0\.2\.15:9100/metrics' "$VM_LOG"
then pass "DHCP gave the guest 10.0.2.15 (console)"
else fail "DHCP gave the guest 10.0.2.15" "$(grep listening "$VM_LOG")"; fi
# The DHCP server's host name (QEMU's hostname=) names the instance.
if curl -s --max-time 10 "http://127.0.0.1:$VMT_MPORT/metrics" |
   grep -q '^node_uname_info{.*nodename="dhcp-named"'
then pass "DHCP's host name is node_uname_info's nodename"
else fail "DHCP's host name is node_uname_info's nodename" \
  "$(curl -s --max-time 10 "http://127.0.0.1:$VMT_MPORT/metrics" | grep '^node_uname_info')"; fi

log="$E2E_TMP/kvm_formats.$$.log"
bash tests/lib/scrape_formats.sh 127.0.0.1 "$VMT_MPORT" >"$log" 2>&1
sed '$d' "$log"
absorb "$log" "scrape_formats.sh"
rm -f "$log"

url="http://127.0.0.1:$VMT_MPORT"
text=$(curl -s --max-time 10 "$url/metrics")
om=$(curl -s --max-time 10 -H 'Accept: application/openmetrics-text' \
  "$url/metrics")
has() {  # NAME BODY REGEX: a line matches REGEX
  if grep -Eq "$3" <<<"$2"; then pass "$1"
  else fail "$1" "no line matches $3"; fi
}
has "text: virtio-net receive counter" "$text" \
  '^netdev_rx_packets_total\{device="eth0"\} [1-9][0-9]*$'
has "text: virtio-net transmit counter" "$text" \
  '^netdev_tx_packets_total\{device="eth0"\} [1-9][0-9]*$'
has "text: lwIP TCP segments received" "$text" \
  '^lwip_recv_total\{proto="tcp"\} [1-9][0-9]*$'
has "text: lwIP memory pools" "$text" '^lwip_pool_used\{pool="tcp_pcb"\} [0-9]+$'
has "text: allocator counter" "$text" '^ukalloc_allocs_total [1-9][0-9]*$'
has "text: scheduler family" "$text" '^uksched_[a-z_]+(\{.*\})? [0-9.e+-]+$'
has "text: exporter's own scrape counter" "$text" \
  '^ukprom_scrapes_total\{format="text"\} [1-9][0-9]*$'
has "text: file server counter" "$text" '^fileserver_requests_total [0-9]+$'
has "text: lwIP's TCP PCB headroom" "$text" '^lwip_tcp_pcb_headroom [1-9][0-9]*$'
has "text: the file server is up (ukmon)" "$text" \
  '^ukmon_component_up\{component="fileserver"\} 1$'
has "text: no component failed (ukmon)" "$text" '^ukmon_components_failed 0$'
has "openmetrics: counter family without _total" "$om" \
  '^# TYPE netdev_rx_packets counter$'
has "openmetrics: ends with # EOF" "$(tail -n 1 <<<"$om")" '^# EOF$'
# Every series appears once: the text scrape holds no duplicate.
dups=$(awk '!/^#/ && NF { if (seen[$1]++) print $1 }' <<<"$text" | head -n 3)
if [ -z "$dups" ]; then pass "text: no series twice ($(grep -vc '^#' <<<"$text") series)"
else fail "text: no series twice" "$dups"; fi

code=$(curl -s --max-time 10 -o "$E2E_TMP/kvm_store.$$" -w '%{http_code}' \
  "$url/store/")
if [ "$code" = 200 ] && [ -s "$E2E_TMP/kvm_store.$$" ]; then
  pass "/store/ lists the store ($(wc -l <"$E2E_TMP/kvm_store.$$") lines)"
else
  fail "/store/ lists the store" "status $code"
fi
rm -f "$E2E_TMP/kvm_store.$$"

vmt_scrape_ok "a scrape still succeeds afterwards"
vmt_alive "the VM is still running, no panic on its console"
finish
