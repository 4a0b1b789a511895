#!/usr/bin/env bash
# Connection pressure on the demo VM (tests/kvm/vm_conns.py):
#   - 8, then 64 idle or stalled connections to the file server: a GET on
#     a new connection is still answered 200 within 2 s (the file server
#     evicts the idle ones);
#   - 100, then 200 partial requests held on the file server's port, then
#     on the exporter's, each paced a few ms apart for slirp: /metrics
#     and the file server both answer 200 within 2 s throughout, and
#     lwip_tcp_pcb_headroom never reaches 0;
#   - then, in a VM serving an 8 MB file from its initrd (a tar archive
#     mounted on /initrd), 8 readers that stop reading
#     keep every worker stuck sending: 20 more connections get 503 beyond
#     the file server's queue of 16 and 200 once the stuck sends time
#     out, while a scrape still answers and lwIP's heap and segments
#     never run out.
# The exporter half needs the exporter to evict the connection whose
# request has been incomplete the longest at once, and to reset the
# connections it drops (lib/ukprom); lwIP's side (the PCB budget, orphans
# reclaimed, SO_LINGER 0 as a reset) is lib/lwip's.  Afterwards the
# counters must show the evictions, a normal scrape and GET must succeed
# and the VM must still run with a clean console.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh

vmt_boot || { finish; exit 1; }

sub() {  # NAME ARGS...: a vm_conns.py run, folded in
  local name=$1 log="$E2E_TMP/kvm_conns.$$.log"
  shift
  echo "--- $name"
  /usr/bin/python3 tests/kvm/vm_conns.py "$@" >"$log" 2>&1
  sed '$d' "$log"
  absorb "$log" "$name"
  rm -f "$log"
}

sub "8 idle on the file server" idle 127.0.0.1 "$VMT_FPORT" 8
sub "64 idle on the file server" idle 127.0.0.1 "$VMT_FPORT" 64
vmt_at_least "idle connections were evicted for the GETs" \
  fileserver_evicted_connections_total 1

for n in 100 200; do
  sub "$n held on the file server" held 127.0.0.1 "$VMT_MPORT" "$VMT_FPORT" \
    "$n" 2 fileserver
done
for n in 100 200; do
  sub "$n held on the exporter" held 127.0.0.1 "$VMT_MPORT" "$VMT_FPORT" \
    "$n" 2 exporter
done
for m in lwip_tcp_pcb_headroom lwip_tcp_orphans \
    lwip_tcp_orphans_reclaimed_total 'lwip_pool_err_total{pool="tcp_pcb"}' \
    ukprom_rejected_connections_total ukprom_evicted_connections_total \
    fileserver_evicted_connections_total fileserver_rejected_connections_total
do
  echo "     $m $(vmt_metric "$m")"
done
v=$(vmt_metric 'lwip_pool_err_total{pool="tcp_pcb"}')
if [ "$v" = 0 ]; then pass "no TCP PCB allocation failed"
else fail "no TCP PCB allocation failed" "lwip_pool_err_total{pool=\"tcp_pcb\"} = '$v'"; fi

vmt_scrape_ok "a normal scrape succeeds at the end"
code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' \
  "http://127.0.0.1:$VMT_FPORT/hello.txt")
if [ "$code" = 200 ]; then pass "the file server still answers"
else fail "the file server still answers" "got '$code'"; fi
vmt_alive "the VM is still running, no panic on its console"
vm_stop

# Readers that stop reading: a second VM serving an 8 MB file of its
# initrd.  Every worker is stuck sending it, so newcomers queue and the
# queue's overflow gets 503; the stuck sends time out.  Meanwhile the
# exporter, whose sends share lwIP's segments and heap, must answer.
big="$E2E_TMP/kvm_conns.$$.big"
mkdir -p "$big.d"
head -c 8000000 /dev/zero >"$big.d/big.bin"
tar -C "$big.d" -cf "$big" big.bin
rm -rf "$big.d"
if VM_INITRD=$big vmt_boot; then
  ( sleep 2; curl -s --max-time 2 -o /dev/null -w '%{http_code} %{time_total}' \
      "http://127.0.0.1:$VMT_MPORT/metrics" >"$big.scrape" ) &
  scraper=$!
  vmt_track $scraper
  sub "8 stuck readers" stuck 127.0.0.1 "$VMT_FPORT" /initrd/big.bin 8 20
  wait $scraper
  read -r code secs <"$big.scrape"
  if [ "$code" = 200 ]; then
    pass "a scrape with every file server worker stuck: 200 in ${secs}s"
  else
    fail "a scrape with every file server worker stuck" "got '$code'"
  fi
  for m in fileserver_timed_out_connections_total \
      fileserver_rejected_connections_total 'lwip_pool_max{pool="heap"}' \
      'lwip_pool_max{pool="tcp_seg"}'; do
    echo "     $m $(vmt_metric "$m")"
  done
  for m in heap tcp_seg; do
    v=$(vmt_metric "lwip_pool_err_total{pool=\"$m\"}")
    if [ "$v" = 0 ]; then pass "no $m allocation failed"
    else fail "no $m allocation failed" "lwip_pool_err_total = '$v'"; fi
  done
  vmt_alive "the VM is still running, no panic on its console"
fi
rm -f "$big" "$big.scrape"
finish
