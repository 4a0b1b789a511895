#!/usr/bin/env bash
# Boot benchmark of the kvm platform.  Times, from the host, QEMU's start
# to the moment the application's first line appears on the serial port
# (helloworld's main prints it) and to QEMU's exit, as the median of
# several runs, beside apps/floor (a PVH kernel that prints a line and
# exits at once: what QEMU and its firmware cost by themselves), on each
# machine type (-M pc, -M microvm; BENCH_BOOT_MACHINES narrows it).  Runs
# of the two images alternate so host load affects both alike.  Also prints
# the image sizes (as built, and stripped of symbols and debug info), the
# guest's own share (PVH entry to main, by the TSC, with kvm.boottime=1),
# and checks helloworld boots with -m 16M.
#   scripts/bench-boot.sh [runs]      (default 7; BENCH_BOOT_RUNS too)
# Goals: boot to main within 1.2x of the floor, stripped helloworld under
# 100 KB, boots in 16 MiB.
set -u
cd "$(dirname "$0")/.."
runs=${1:-${BENCH_BOOT_RUNS:-7}}
hello=build/kvm/helloworld.elf
floor=build/kvm/floor.elf
for img in "$hello" "$floor"; do
  if [ ! -f "$img" ]; then
    echo "bench-boot: $img is missing (make kvm)" >&2
    exit 1
  fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 scripts/bench_boot.py "$runs" "$hello" "$floor" "$tmp"
