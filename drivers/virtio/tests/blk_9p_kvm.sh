#!/usr/bin/env bash
# virtio-blk and virtio-9p in the VM against QEMU's own devices, checked
# from both sides.  Disk: a 4 MiB raw image whose byte at offset o is
# HOST(o) (see test_blk_kvm.c) is given to build/kvm/blk-test.elf with
# --disk; afterwards the sectors the guest wrote must hold GUEST(o) and
# those around them HOST(o).  Share: a temporary folder with host.bin,
# delete-me.txt and sub/keep is given to build/kvm/9p-test.elf with
# --share DIR:hostshare, with the host's statfs figures as options;
# afterwards the files the guest created, renamed, truncated and removed
# must be so on the host, byte for byte.  The guests' own cases count
# too (their "N passed, N failed" lines are folded in).  All of it on each
# machine type: -M pc (virtio-*-pci), -M microvm (virtio-mmio, legacy
# register layout, QEMU's default) and microvm with modern virtio-mmio
# (-global virtio-mmio.force-legacy=false); BLK9P_MACHINES narrows the
# list (pc, microvm, microvm-modern).
set -u
cd "$(dirname "$0")/../../.."
. tests/lib/tally.sh
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

boot() { # log, then qemu-test.sh's arguments
  local log=$1 rc
  shift
  QEMU_TIMEOUT=${QEMU_TIMEOUT:-120} bash scripts/qemu-test.sh "$@" \
    >"$log" 2>&1
  rc=$?
  sed 's/^/  | /' "$log"
  return $rc
}

# The checks of one machine type (the heredocs stay unindented).
one_machine() { # M: pc, microvm or microvm-modern
local M=$1
export UKMON_MACHINE=${M%-modern}
QEMU_EXTRA=
[ "$M" = microvm-modern ] &&
  QEMU_EXTRA="-global virtio-mmio.force-legacy=false"
export QEMU_EXTRA

# ---- virtio-blk ----------------------------------------------------------
SECTORS=8192
$PY - "$tmp/disk.img" $SECTORS <<'PY'
import sys
n = int(sys.argv[2]) * 512
data = bytearray(n)
for o in range(n):
    data[o] = (o * 7 + (o >> 9)) & 0xff
open(sys.argv[1], "wb").write(data)
PY
if [ ! -f build/kvm/blk-test.elf ]; then
  fail "$M: blk-test image" "build/kvm/blk-test.elf missing (make kvm)"
else
  boot "$tmp/blk.log" --disk "$tmp/disk.img" build/kvm/blk-test.elf \
    blktest.sectors=$SECTORS
  check "$M: blk guest exited 0" test $? -eq 0
  absorb "$tmp/blk.log" "$M: blk guest"
  want=no
  [ "$M" = microvm-modern ] && want=yes
  check "$M: blk: virtio 1.x negotiated: $want" \
    grep -q "virtio 1.x: $want" "$tmp/blk.log"
  check "$M: blk: written sectors hold the guest's bytes, the rest the host's" \
    $PY - "$tmp/disk.img" $SECTORS <<'PY'
import sys
img = open(sys.argv[1], "rb").read()
sectors = int(sys.argv[2])
host = lambda o: (o * 7 + (o >> 9)) & 0xff
guest = lambda o: (o * 13 + 0x5a) & 0xff
def same(first, count, f):
    base = first * 512
    return all(img[o] == f(o) for o in range(base, base + count * 512))
ok = (len(img) == sectors * 512 and same(1000, 64, guest) and
      same(sectors - 1, 1, guest) and same(0, 1000, host) and
      same(1064, 500, host) and same(sectors - 2, 1, host))
sys.exit(0 if ok else 1)
PY
fi

# ---- virtio-9p -----------------------------------------------------------
share=$tmp/share
rm -rf "$share"
mkdir -p "$share/sub"
echo keep >"$share/sub/keep"
echo 'delete me' >"$share/delete-me.txt"
HOSTSIZE=300000
$PY - "$share/host.bin" $HOSTSIZE <<'PY'
import sys
open(sys.argv[1], "wb").write(bytes((i * 13 + 5) & 0xff
                                    for i in range(int(sys.argv[2]))))
PY
cp "$share/host.bin" "$tmp/host.orig"
read -r bsize blocks files < <(stat -f -c '%s %b %c' "$share")
if [ ! -f build/kvm/9p-test.elf ]; then
  fail "$M: 9p-test image" "build/kvm/9p-test.elf missing (make kvm)"
else
  boot "$tmp/9p.log" --share "$share:hostshare" build/kvm/9p-test.elf \
    p9test.tag=hostshare p9test.hostsize=$HOSTSIZE p9test.bsize="$bsize" \
    p9test.blocks="$blocks" p9test.files="$files"
  check "$M: 9p guest exited 0" test $? -eq 0
  absorb "$tmp/9p.log" "$M: 9p guest"
  check "$M: 9p: from-guest.bin on the host, byte for byte" \
    $PY - "$share/from-guest.bin" <<'PY'
import sys
want = bytes((i * 7 + 3) & 0xff for i in range(100000))
sys.exit(0 if open(sys.argv[1], "rb").read() == want else 1)
PY
  check "$M: 9p: renamed.txt moved out of tmpdir" \
    test "$(cat "$share/renamed.txt" 2>/dev/null)" = "moved by the guest"
  check "$M: 9p: tmpdir removed" test ! -e "$share/tmpdir"
  check "$M: 9p: delete-me.txt removed" test ! -e "$share/delete-me.txt"
  check "$M: 9p: made-by-guest is a directory" test -d "$share/made-by-guest"
  check "$M: 9p: trunc.txt truncated to 10 bytes" \
    test "$(stat -c %s "$share/trunc.txt" 2>/dev/null)" = 10
  check "$M: 9p: host.bin untouched" cmp -s "$share/host.bin" "$tmp/host.orig"
  check "$M: 9p: sub/keep untouched" test "$(cat "$share/sub/keep")" = keep
fi
}

for m in ${BLK9P_MACHINES:-pc microvm microvm-modern}; do
  echo "== $m"
  one_machine "$m"
done
finish
