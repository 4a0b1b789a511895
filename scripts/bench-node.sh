#!/usr/bin/env bash
# The cost of the node view (lib/node's node_* and process_* series, lib/
# procfs), each figure beside its reference in the same run:
#   - the encoder (build/linuxu/bench-node): time per text encoding and
#     per series without the node view, with it, and of the view alone;
#   - scrape latency in the VM: build/kvm/demo.elf against build/kvm/
#     demo-nonode.elf (the same image without lib/node and lib/procfs),
#     both running at once, BENCH_NODE_ROUNDS (7) alternating rounds of
#     BENCH_NODE_SCRAPES (100) keep-alive scrapes each (build/linuxu/
#     scrape-lat): the median and the best of the rounds' medians (TCG on
#     a shared host is noisy: the best round is the least disturbed),
#     with each body's series count;
#   - reading /proc/stat and /proc/meminfo inside the VM: the demo's
#     demo.procbench=N times N open-read-close cycles of each through the
#     VFS, and the rendering alone, on the guest's monotonic clock, and
#     prints them on its console (N = BENCH_NODE_PROCREADS, 2000).
# Only 127.0.0.1 is contacted; the VMs are stopped, by PID, on exit.
set -u
cd "$(dirname "$0")/.."
. scripts/vm.sh
ROUNDS=${BENCH_NODE_ROUNDS:-7}
SCRAPES=${BENCH_NODE_SCRAPES:-100}
READS=${BENCH_NODE_PROCREADS:-2000}
for f in build/linuxu/bench-node build/linuxu/scrape-lat build/kvm/demo.elf \
    build/kvm/demo-nonode.elf; do
  [ -f "$f" ] || { echo "bench-node: $f is missing (make $f)" >&2; exit 1; }
done

echo "--- encoder (linuxu, lib/node's test fixture)"
build/linuxu/bench-node 2000 || exit 1

tmp=$(mktemp -d)
pids=()
stop_all() {
  local p
  for p in "${pids[@]}"; do
    kill -TERM "$p" 2>/dev/null
  done
  for p in "${pids[@]}"; do
    wait "$p" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap stop_all EXIT

# boot NAME IMAGE ARGS...: starts a VM, sets port_NAME.
boot() {
  local name=$1 img=$2 mport fport
  shift 2
  mport=$(vm_free_port)
  fport=$(vm_free_port)
  VM_LOG="$tmp/$name.console"
  VM_PID=
  vm_start "$img" "$mport" "$fport" net.ip=10.0.2.15/24 net.gw=10.0.2.2 \
    "$@" || exit 1
  pids+=("$VM_PID")
  printf -v "port_$name" '%s' "$mport"
}
boot with build/kvm/demo.elf demo.procbench="$READS"
boot without build/kvm/demo-nonode.elf

echo "--- reading /proc inside the VM (demo.procbench=$READS, TCG)"
sed -n 's/^.*procbench: /  /p' "$tmp/with.console"

echo "--- scrape latency, text, $ROUNDS rounds x $SCRAPES keep-alive scrapes"
for r in $(seq "$ROUNDS"); do
  for name in without with; do
    port_var="port_$name"
    build/linuxu/scrape-lat 127.0.0.1 "${!port_var}" "$SCRAPES" \
      >>"$tmp/$name.lat" || { echo "bench-node: scrape-lat failed" >&2; exit 1; }
  done
done
for name in without with; do
  port_var="port_$name"
  curl -s --max-time 10 "http://127.0.0.1:${!port_var}/metrics" >"$tmp/$name.body"
done
/usr/bin/python3 - "$tmp" <<'PY'
import re, statistics, sys
tmp = sys.argv[1]
res = {}
for name in ('without', 'with'):
    meds = []
    for line in open('%s/%s.lat' % (tmp, name)):
        m = re.search(r'median_us=([0-9.]+)', line)
        if m:
            meds.append(float(m.group(1)))
    body = open('%s/%s.body' % (tmp, name)).read().splitlines()
    series = sum(1 for l in body if l and not l.startswith('#'))
    node = sum(1 for l in body if re.match(r'(node|process)_', l))
    res[name] = (statistics.median(meds), min(meds))
    print('  %-16s median %6.0f us, best %6.0f us  (%d series, %d '
          'node_/process_; rounds %s)' % ('demo-nonode.elf' if name ==
          'without' else 'demo.elf', res[name][0], res[name][1], series,
          node, ' '.join('%.0f' % x for x in meds)))
for i, what in ((0, 'median'), (1, 'best')):
    a, b = res['without'][i], res['with'][i]
    print('  the node view adds %.0f us per scrape (%s, %.2fx)' %
          (b - a, what, b / a))
PY
