#!/usr/bin/env bash
# Benchmarks of the demo VM (build/kvm/demo.elf) under QEMU (TCG) with
# user networking and hostfwd to loopback, each measured side by side
# with its reference in the same run:
#   - boot to exporter ready: QEMU start until the first complete 200
#     from /metrics through hostfwd, median of several runs, with a
#     static address and with DHCP, on each machine type (-M pc and -M
#     microvm), each beside its own empty-kernel floor (build/kvm/
#     floor.elf: QEMU start to exit, same QEMU command line); runs of
#     the six alternate (the machines' order flipping each round) so host
#     load hits them alike.  Goal: static within 1.2x of the floor of the
#     same machine; DHCP adding one round trip.  Then the guest's own
#     boot timeline, stage by stage, from the ukmon_boot_stage_seconds
#     series of each run's first scrape (median over the runs).
#   - scrape latency of the full metric set over keep-alive GETs
#     (build/linuxu/scrape-lat), median and p99, text and OpenMetrics.
#   - instance overhead: wrk requests/s on the file server while the
#     exporter is scraped every second, against the same image with
#     ukprom.enable=0; both VMs run at once and their wrk runs alternate
#     (ABBA...) to cancel drift.  Goal: at most 1% lost.  Also the
#     exporter's own time per scrape (its duration histogram), the share
#     of each second it costs the guest at one scrape per second.
#   - QEMU's host CPU (utime+stime of its PID) while the demo idles, as %
#     of one core (goal under 2%), and while scraped every second; the
#     difference over QEMU's CPU under wrk is a noise-free estimate of
#     the overhead (the wrk comparison has a few % of run-to-run noise
#     on a shared host, so a loss above 1% within two standard errors
#     is printed as unresolved, not as a miss).
#   - image size as built and stripped (goal: stripped under 300 KB).
# Prints a summary table last.  Environment: BENCH_VM_RUNS (boot runs,
# 9), BENCH_VM_MACHINES (the boot runs' machines, "pc microvm"),
# BENCH_VM_STEPS (which parts, "size boot scrape overhead idle"; the
# others run on scripts/qemu.sh's default machine),
# BENCH_VM_PAIRS (wrk run pairs, 6), BENCH_VM_WRK_S (seconds per wrk
# run, 3), BENCH_VM_WRK (wrk's load options, "-t2 -c8"), BENCH_VM_IDLE_S
# (idle window, 5).  Only 127.0.0.1 is
# contacted; every QEMU started is stopped, by PID, on exit.
set -u
cd "$(dirname "$0")/.."
demo=build/kvm/demo.elf
floor=build/kvm/floor.elf
lat=build/linuxu/scrape-lat
for f in "$demo" "$floor" "$lat"; do
  if [ ! -f "$f" ]; then
    echo "bench-vm: $f is missing (make $f)" >&2
    exit 1
  fi
done
for t in qemu-system-x86_64 wrk strip; do
  command -v "$t" >/dev/null || { echo "bench-vm: $t is missing" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-vm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 scripts/bench_vm.py "$demo" "$floor" "$lat" "$tmp"
