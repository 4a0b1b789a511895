#!/usr/bin/env bash
# make run: boots the demo unikernel under QEMU with user networking, a
# small generated web site as a tar disk (build/run/site.tar, mounted on
# /site) and the folder build/run/data shared over 9P (mounted
# read-write on /data, where the access log goes), then starts Debian's
# Prometheus with a generated config that scrapes the VM every second as
# job "node", serves Debian's node consoles and evaluates the standard
# node alerts (scripts/prometheus.sh, scripts/rules/node-alerts.yml),
# prints where to look (the console of the VM, make plot), and stops
# everything on Ctrl-C.
#
# Environment (all optional):
#   UKMON_METRICS_PORT  host port forwarded to the exporter (default 9100)
#   UKMON_FILE_PORT     host port forwarded to the file server (8080)
#   UKMON_PROM_PORT     Prometheus' own port (9090)
#   UKMON_APPEND        kernel command line (default: a static address;
#                       use "" for DHCP)
#   UKMON_RUN_SECONDS   stop by itself after this many seconds (tests)
set -u
cd "$(dirname "$0")/.."
. scripts/vm.sh
. scripts/prometheus.sh

MPORT=${UKMON_METRICS_PORT:-9100}
FPORT=${UKMON_FILE_PORT:-8080}
PPORT=${UKMON_PROM_PORT:-9090}
APPEND=${UKMON_APPEND-net.ip=10.0.2.15/24 net.gw=10.0.2.2}
RUN=build/run
VM_LOG=$RUN/vm.log
mkdir -p "$RUN"

cleanup() {
  trap - INT TERM EXIT
  echo
  echo "stopping..."
  [ -n "$PROM_PID" ] && kill -TERM "$PROM_PID" 2>/dev/null && wait "$PROM_PID" 2>/dev/null
  vm_stop
  echo "stopped."
}
trap cleanup EXIT
trap 'exit 0' INT TERM

for p in "$MPORT" "$FPORT" "$PPORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "make run: port $p on 127.0.0.1 is in use; set UKMON_METRICS_PORT, UKMON_FILE_PORT or UKMON_PROM_PORT" >&2
    exit 1
  fi
done

bash scripts/mksite.sh "$RUN"
mkdir -p "$RUN/data"
VM_DISKS=("$RUN/site.tar")
VM_SHARES=("$RUN/data:data")

echo "booting build/kvm/demo.elf under QEMU..."
t0=$(date +%s.%N)
# shellcheck disable=SC2086
vm_start build/kvm/demo.elf "$MPORT" "$FPORT" $APPEND || exit 1
t1=$(date +%s.%N)
sed 's/^/  vm| /' "$VM_LOG"
awk -v a="$t0" -v b="$t1" 'BEGIN{printf "exporter ready %.2f s after QEMU start\n", b-a}'

# Prometheus keeps its TSDB in build/run/prometheus/data: build/run/data
# is the VM's share.
if ! prom_start "$RUN/prometheus" "127.0.0.1:$MPORT" "$PPORT"; then
  echo "prometheus failed:"; tail "$RUN/prometheus/prometheus.log"; exit 1
fi

graph="http://127.0.0.1:$PPORT/graph?g0.expr=rate(netdev_rx_packets_total%5B1m%5D)&g0.tab=0&g0.range_input=15m&g1.expr=rate(ukalloc_allocs_total%5B1m%5D)&g1.tab=0&g1.range_input=15m&g2.expr=rate(uksched_cpu_seconds_total%5B1m%5D)&g2.tab=0&g2.range_input=15m&g3.expr=rate(vfs_read_bytes_total%5B1m%5D)&g3.tab=0&g3.range_input=15m&g4.expr=rate(vfs_written_bytes_total%5B1m%5D)&g4.tab=0&g4.range_input=15m"
cat <<EOT

ukmon is running.
  metrics:          http://127.0.0.1:$MPORT/metrics
  store (procfs):   http://127.0.0.1:$MPORT/store/
  demo file server: http://127.0.0.1:$FPORT/         (the image's files)
                    http://127.0.0.1:$FPORT/site/    (build/run/site.tar, on a disk)
                    http://127.0.0.1:$FPORT/data/    (build/run/data, over 9P)
  Prometheus UI:    http://127.0.0.1:$PPORT/
  node console:     http://127.0.0.1:$PPORT/consoles/node-overview.html?instance=127.0.0.1:$MPORT#pctc%7B%22duration%22%3A900%2C%22endTime%22%3A0%7D
                    (all nodes: /consoles/node.html; alerts: /alerts)
  ready-made graph: $graph
  plots (PNG):      UKMON_PROM_PORT=$PPORT make plot   (then open build/plots/index.html)

Drive the workload with e.g.:  wrk -t2 -c8 -d30s http://127.0.0.1:$FPORT/site/index.html
Write into the share:          curl -T FILE http://127.0.0.1:$FPORT/data/NAME
                               (then ls $RUN/data; the access log is $RUN/data/access.log)
VM console: $VM_LOG    Prometheus log: $RUN/prometheus/prometheus.log
Press Ctrl-C to stop.
EOT

end=0
[ -n "${UKMON_RUN_SECONDS:-}" ] && end=$(( $(date +%s) + UKMON_RUN_SECONDS ))
while kill -0 "$VM_PID" 2>/dev/null && kill -0 "$PROM_PID" 2>/dev/null; do
  [ "$end" -ne 0 ] && [ "$(date +%s)" -ge "$end" ] && exit 0
  sleep 1
done
echo "the VM or Prometheus stopped unexpectedly; see $VM_LOG and $RUN/prometheus/prometheus.log" >&2
exit 1
