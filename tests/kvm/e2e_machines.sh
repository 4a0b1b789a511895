#!/usr/bin/env bash
# The same demo.elf under both machine types, end to end: -M pc (virtio-
# net-pci) and -M microvm (virtio-net-device on virtio-mmio, found from
# the kernel command line), each booted with a static address and
# uk.boot_trace=1.  On each: /metrics answers through hostfwd, the file
# server answers, eth0 is found on the machine's transport (attached
# within the PCI scan, or after it by the MMIO probe), and the boot
# timeline is consistent: the console's "boot: <stage> <us> us (+<us>
# us)" lines name every stage of the demo's boot once, starting at
# pvh_entry 0, with times that never go back in the order printed; the
# exposition has a ukmon_boot_stage_seconds{stage} series for each, equal
# to the console's time (to the microsecond), so its values grow in that
# same order; and the store shows a stage under /store/ukmon/.  Names and
# order only: no duration is bounded.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh

STAGES="pvh_entry irq_timer memory_map heap constructors main tsc_calibrated
pci_scan mmio_scan attach_net0 lwip_start net_up exporter_listening
fileserver_listening first_arp"

one_machine() {
  local m=$1 i body code
  export UKMON_MACHINE=$m
  vmt_boot $VMT_STATIC uk.boot_trace=1 || return 1
  # first_arp may come after the "listening" line: wait for it a little.
  for i in $(seq 50); do
    grep -q '^boot: first_arp ' "$VM_LOG" && break
    sleep 0.1
  done
  body=$(curl -s --max-time 10 "http://127.0.0.1:$VMT_MPORT/metrics")
  if grep -q '^netdev_rx_packets_total{device="eth0"} [1-9]' <<<"$body"
  then pass "$m: /metrics through hostfwd, eth0 receiving"
  else fail "$m: /metrics through hostfwd" "no eth0 receive counter"; fi
  code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$VMT_FPORT/")
  if [ "$code" = 200 ]; then pass "$m: the file server answers"
  else fail "$m: the file server answers" "status '$code'"; fi
  # The transport: under pc the NIC is attached during the PCI scan,
  # under microvm after it (by the virtio-mmio probe).
  local order
  order=$(grep -Eo '^boot: (pci_scan|attach_net0|mmio_scan) ' "$VM_LOG" |
    awk '{ printf "%s ", $2 }')
  case "$m:$order" in
    "pc:attach_net0 pci_scan mmio_scan "|\
    "microvm:pci_scan attach_net0 mmio_scan ")
      pass "$m: eth0 found on the $( [ "$m" = pc ] && echo PCI ||
        echo virtio-mmio) transport" ;;
    *) fail "$m: eth0 found on the expected transport" "order: $order" ;;
  esac
  printf '%s\n' "$body" >"$E2E_TMP/machines.$$.metrics"
  /usr/bin/python3 - "$m" "$VM_LOG" "$E2E_TMP/machines.$$.metrics" \
    "$STAGES" <<'PY'
import re, sys
m, log, metrics, want = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ok = fail = 0
def check(name, cond, detail=""):
    global ok, fail
    if cond:
        ok += 1; print("ok   %s: %s" % (m, name))
    else:
        fail += 1; print("FAIL %s: %s%s" % (m, name, ": " + detail if detail else ""))
lines = [re.match(r"boot: (\S+) (\d+) us \(\+(\d+) us\)$", l)
         for l in open(log, errors="replace").read().splitlines()
         if l.startswith("boot: ")]
check("every console boot line well formed", all(lines))
con = [(x.group(1), int(x.group(2)), int(x.group(3))) for x in lines if x]
names = [n for n, _, _ in con]
check("stage 0 is pvh_entry at 0 us",
      bool(con) and con[0][0] == "pvh_entry" and con[0][1] == 0)
check("each stage printed once", len(names) == len(set(names)),
      " ".join(names))
missing = [n for n in want.split() if n not in names]
check("every stage of the demo's boot printed", not missing,
      "missing " + " ".join(missing))
times = [t for _, t, _ in con]
check("console times never go back", times == sorted(times),
      " ".join("%s=%d" % (n, t) for n, t, _ in con))
check("each (+share) is the time since the stage before",
      all(abs(con[i][2] - (con[i][1] - con[i - 1][1])) <= 1
          for i in range(1, len(con))))
series = {}
for l in open(metrics).read().splitlines():
    x = re.match(r'ukmon_boot_stage_seconds\{stage="([^"]+)"\} (\S+)$', l)
    if x:
        series[x.group(1)] = float(x.group(2))
check("a ukmon_boot_stage_seconds series for every printed stage",
      all(n in series for n in names),
      "missing " + " ".join(n for n in names if n not in series))
check("no series for a stage never printed",
      all(n in names for n in series),
      " ".join(n for n in series if n not in names))
check("series equal the console's times (to the us)",
      all(abs(series[n] * 1e6 - t) <= 1.5 for n, t, _ in con if n in series),
      " ".join("%s=%d/%.1f" % (n, t, series[n] * 1e6) for n, t, _ in con if n in series and abs(series[n] * 1e6 - t) > 1.5))
vals = [series[n] for n in names if n in series]
check("series grow in the console's order", vals == sorted(vals))
print("%d passed, %d failed" % (ok, fail))
PY
  rm -f "$E2E_TMP/machines.$$.metrics"
  code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$VMT_MPORT/store/ukmon/boot.main/boot_stage")
  if [ "$code" = 200 ]; then pass "$m: /store/ukmon/boot.main/boot_stage"
  else fail "$m: /store/ukmon/boot.main/boot_stage" "status '$code'"; fi
  vmt_alive "$m: the VM is still running, no panic on its console"
  vm_stop
}

for m in pc microvm; do
  out="$E2E_TMP/machines.$$.$m"
  one_machine "$m" >"$out" 2>&1
  grep -v '^[0-9]* passed, [0-9]* failed$' "$out"
  # The Python checks print their own totals: fold them in.
  if grep -q '^[0-9]* passed, [0-9]* failed$' "$out"; then
    absorb "$out" "$m: timeline checks"
  fi
  rm -f "$out"
done
finish
