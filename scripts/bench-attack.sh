#!/usr/bin/env bash
# The exporter under connection-exhaustion attacks (tests/lib/
# http_attack.py): for each attack (none, churn 16, churn 64, trickle 16:
# see there) a scraper scrapes on a fresh connection every
# BENCH_ATTACK_INTERVAL s (0.2) for BENCH_ATTACK_S s (20), and the
# success ratio (200 within 2 s) and the scrape latency (p50, p99) are
# printed beside the same figures without an attack, from the same run.
# On linuxu against build/linuxu/linuxu-demo, then in the demo VM
# (build/kvm/demo.elf under QEMU, the attacker's connects paced by 6 ms
# for QEMU's forwarded port); BENCH_ATTACK_VM=0 skips the VM.  Every
# process started is stopped, by PID, on exit.
set -u
cd "$(dirname "$0")/.."
SECS=${BENCH_ATTACK_S:-20}
IVAL=${BENCH_ATTACK_INTERVAL:-0.2}
ATTACKS="none churn:16 churn:64 trickle:16"
demo=build/linuxu/linuxu-demo
img=build/kvm/demo.elf
for f in "$demo" "$img"; do
  [ -f "$f" ] || { echo "bench-attack: $f is missing (make $f)" >&2; exit 1; }
done
export E2E_TMP=${E2E_TMP:-build/bench}
mkdir -p "$E2E_TMP"
VM_LOG="$E2E_TMP/bench-attack.$$.console"
. scripts/vm.sh
demo_pid=
cleanup() {
  [ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null && wait "$demo_pid"
  vm_stop
  rm -f "$VM_LOG" "$VM_LOG.qemu" "$E2E_TMP"/bench-attack.$$.*
}
trap cleanup EXIT
trap 'exit 1' INT TERM

rows=()
# run PLATFORM PORT [attacker options...]: every attack against PORT,
# after a few scrapes to warm up (a VM's first scrapes are slower).
run() {
  local plat=$1 port=$2 a out
  shift 2
  for _ in $(seq 10); do
    curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$port/metrics"
  done
  for a in $ATTACKS; do
    out=$(/usr/bin/python3 tests/lib/http_attack.py 127.0.0.1 "$port" "$a" \
      --seconds "$SECS" --interval "$IVAL" --json "$@" 2>&1)
    echo "$out" | grep -v '^{'
    rows+=("$plat $(echo "$out" | grep '^{')")
  done
}

echo "linuxu: $demo"
$demo --listen 127.0.0.1:0 >"$E2E_TMP/bench-attack.$$.demo" 2>&1 &
demo_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's|^ukprom: listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' \
    "$E2E_TMP/bench-attack.$$.demo")
  [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || { echo "bench-attack: the demo did not start"; exit 1; }
run linuxu "$port"
kill "$demo_pid"; wait "$demo_pid"; demo_pid=

if [ "${BENCH_ATTACK_VM:-1}" != 0 ]; then
  mport=$(vm_free_port)
  fport=$(vm_free_port)
  echo "kvm: $img"
  if VM_READY_TIMEOUT=30 vm_start "$img" "$mport" "$fport" \
      net.ip=10.0.2.15/24 net.gw=10.0.2.2; then
    run kvm "$mport" --pace 0.006
  else
    echo "bench-attack: the VM did not boot"
  fi
  vm_stop
fi

echo
echo "Scrapes under connection-exhaustion attacks ($SECS s each, one" \
  "scrape every $IVAL s on a fresh connection; ok = 200 within 2 s):"
printf '%-7s %-11s %10s %7s %9s %9s %10s %10s\n' platform attack ok ratio \
  "p50 ms" "p99 ms" "p99/none" "att.conns"
for r in "${rows[@]}"; do
  echo "$r"
done | /usr/bin/python3 -c 'import json, sys
base = {}
for line in sys.stdin:
    plat, _, js = line.partition(" ")
    try:
        f = json.loads(js)
    except ValueError:
        print("%-7s (no figures)" % plat)
        continue
    if f["attack"] == "none":
        base[plat] = f["p99_ms"]
    rel = f["p99_ms"] / base[plat] if base.get(plat) else float("nan")
    print("%-7s %-11s %10s %7.3f %9.2f %9.2f %9.2fx %10d" % (
        plat, f["attack"], "%d/%d" % (f["ok"], f["scrapes"]), f["ratio"],
        f["p50_ms"], f["p99_ms"], rel, f["attacker_connects"]))'
