#!/usr/bin/env bash
# Boots a kvm image under QEMU (TCG) with COM1 on stdout and the
# isa-debug-exit device (through scripts/qemu.sh), and exits with the
# application's own status, decoded from QEMU's (status << 1) | 1.
#
#   scripts/qemu-test.sh [--disk FILE] [--share DIR:TAG] IMAGE [words...]
#
# --disk and --share (repeatable) are scripts/qemu.sh's: a virtio-blk disk
# over a raw image, a virtio-9p share of a host folder.
# Exit status: the application's (0..127; a crash is 126), 124 on timeout,
# 125 when QEMU failed or stopped without the guest reporting a status.
# After a crash, the report's addresses are resolved with addr2line.
# Environment: UKMON_MACHINE (pc or microvm: scripts/qemu.sh's --machine),
# QEMU_MEM (guest RAM, default 64M), QEMU_TIMEOUT (seconds,
# default 120), QEMU_FWD (HOST:GUEST, a loopback forward to the guest's
# TCP port over a virtio-net NIC), QEMU_EXTRA (more QEMU arguments, split
# on blanks),
# QEMU_INPUT (bytes the guest reads from COM1), QEMU_STDIN=inherit (COM1
# input is this script's stdin instead).
set -u
devs=()
while [ $# -gt 1 ]; do
  case "$1" in
    --disk|--share) devs+=("$1" "$2"); shift 2 ;;
    *) break ;;
  esac
done
if [ $# -lt 1 ]; then
  echo "usage: $0 [--disk FILE] [--share DIR:TAG] IMAGE [append words...]" >&2
  exit 2
fi
img=$1; shift
if [ ! -f "$img" ]; then
  echo "qemu-test: no image $img" >&2
  exit 125
fi
fwd=()
[ -n "${QEMU_FWD:-}" ] && fwd=(--fwd "$QEMU_FWD")
qemu=(bash "$(dirname "$0")/qemu.sh" ${fwd[@]+"${fwd[@]}"} \
  ${devs[@]+"${devs[@]}"} "$img" "$@")

errf=$(mktemp)
outf=$(mktemp)
trap 'rm -f "$errf" "$outf"' EXIT
# stdin is the guest's COM1 input: QEMU_INPUT's bytes, this script's own
# stdin with QEMU_STDIN=inherit, or nothing.
if [ "${QEMU_STDIN:-}" = inherit ]; then
  timeout -k 5 "${QEMU_TIMEOUT:-120}" "${qemu[@]}" 2>"$errf" | tee "$outf"
else
  timeout -k 5 "${QEMU_TIMEOUT:-120}" "${qemu[@]}" \
    < <(printf '%s' "${QEMU_INPUT:-}") 2>"$errf" | tee "$outf"
fi
rc=${PIPESTATUS[0]}
cat "$errf" >&2

# A crash report's addresses, resolved against the image's symbols.
symbolize() {
  local addrs
  command -v addr2line >/dev/null || return 0
  # Return addresses point after their call: step back one byte so the
  # call's own line is shown.  An exception's frame #0 is the exact RIP.
  local exact='#0'
  grep -q 'RIP=0x' "$outf" || exact=none
  addrs=$(grep -Eo '(RIP=|#[0-9]+ )0x[0-9a-f]+' "$outf" |
    while read -r tag a; do
      case "$tag" in
        RIP=*) a=${tag#RIP=} ;;
        "$exact") ;;
        *) a=$(printf '0x%x' $((a - 1))) ;;
      esac
      echo "$a"
    done | awk '!seen[$0]++')
  [ -n "$addrs" ] || return 0
  echo "qemu-test: crash addresses in $img:"
  # shellcheck disable=SC2086
  addr2line -f -i -p -e "$img" $addrs | sed 's/^/  /'
}
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
  echo "qemu-test: timeout after ${QEMU_TIMEOUT:-120}s" >&2
  exit 124
fi
if [ $((rc % 2)) -eq 1 ]; then
  # Status 0 and a QEMU start-up error both give 1: QEMU says which.
  if [ "$rc" -eq 1 ] && grep -v 'warning' "$errf" | grep -q 'qemu-system'; then
    echo "qemu-test: QEMU failed" >&2
    exit 125
  fi
  [ "$rc" -eq 253 ] && symbolize
  exit $(((rc - 1) / 2))
fi
echo "qemu-test: QEMU exited with $rc and no status from the guest" >&2
exit 125
